/**
 * The video chat, built as /video.js and loaded only when video is chosen
 * (loader.ts). It keeps the camera and microphone, runs the chat's call
 * (@parley/client's CallSession: the initiator offers, ICE candidates are
 * relayed, ICE restarts after a blip) and draws the stage (views/).
 *
 * - The camera and microphone open before the search (prepare()), so a
 *   refusal is said on the start screen, and stay open for the call; each
 *   starts on or off as the start screen says (kept in `parley.video`).
 * - Every track stops at once when the chat ends here or there (Next, Leave,
 *   Block, a report, the stranger leaving), when the video is stopped by
 *   either side (the chat goes on by text), and when a search is cancelled.
 * - The stranger's video is blurred until tapped, for each new stranger,
 *   unless that setting is off.
 * - `?ice=relay` in the page's address forces every connection through TURN
 *   (`iceTransportPolicy: "relay"`): for testing that the relay works.
 */
import { CallSession } from '@parley/client/call';
import type { CallSetup, CallSignalEvent, CallStateEvent, MatchedEvent, ReportWithFrame } from '@parley/client';
import { byTestId, setMessage } from '../app/dom';
import type { VideoContext, VideoModule } from './loader';
import { openMedia, stopMedia } from './media';
import { MEDIA_PROBLEM_WORDS, type MediaProblem } from './media-problems';
import { DEFAULT_PREFS, parsePrefs, VIDEO_PREFS_KEY, type VideoPrefs } from './prefs';
import { mountReportFrame } from './views/report-frame';
import { mountStage, type StageView } from './views/video-stage';

/** A resumed chat as the video code needs it. */
export type ResumedCall = Pick<MatchedEvent, 'roomId' | 'mode' | 'call'>;

/** How often the quality hint is read from the call's stats. */
const QUALITY_EVERY_MS = 3000;

const IDLE: StageView = {
  phase: 'idle',
  blurred: true,
  me: { camera: true, microphone: true },
  partner: { camera: true, microphone: true },
  quality: undefined,
  endedBy: null,
  problem: null,
  waiting: false,
};

function readPrefs(): VideoPrefs {
  try {
    return parsePrefs(localStorage.getItem(VIDEO_PREFS_KEY));
  } catch {
    return { ...DEFAULT_PREFS };
  }
}

function savePrefs(prefs: VideoPrefs): void {
  try {
    localStorage.setItem(VIDEO_PREFS_KEY, JSON.stringify(prefs));
  } catch {
    /* storage disabled: the choice lasts for this page */
  }
}

function mountVideo({ client, store, t, early }: VideoContext): VideoModule {
  const relay = new URLSearchParams(location.search).get('ice') === 'relay';
  const prefs: VideoPrefs = readPrefs();
  const choices = { camera: byTestId<HTMLInputElement>('video-camera-on'), microphone: byTestId<HTMLInputElement>('video-mic-on'), blur: byTestId<HTMLInputElement>('video-blur') };
  for (const key of ['camera', 'microphone', 'blur'] as const) {
    choices[key].checked = prefs[key];
    choices[key].addEventListener('change', () => {
      prefs[key] = choices[key].checked;
      savePrefs(prefs);
    });
  }

  let stream: MediaStream | null = null;
  let call: CallSession | null = null;
  /** The video chat the stage is about (kept after the call stopped, for its notice). */
  let chatId: string | null = null;
  /** Signals that came before the call was set up (the camera still opening). */
  let held: CallSignalEvent[] = early.splice(0);
  let view: StageView = IDLE;
  let qualityTimer: ReturnType<typeof setInterval> | undefined;
  let attempts = 0;
  /** The camera and microphone being opened for a search (prepare()). */
  let preparing: Promise<boolean> | undefined;

  const render = (patch: Partial<StageView>) => {
    view = { ...view, ...patch };
    stage.render(view);
  };

  const stage = mountStage(t, {
    reveal: () => render({ blurred: false }),
    toggleMicrophone: () => {
      call?.setMedia({ microphone: !view.me.microphone });
      if (call) render({ me: { ...call.media } });
    },
    toggleCamera: () => {
      call?.setMedia({ camera: !view.me.camera });
      if (call) render({ me: { ...call.media } });
    },
    stopVideo: () => {
      // Before the call is up (the camera still opening) the stranger is told directly.
      if (call) call.end();
      else void client.callSignal({ kind: 'end' }).catch(() => undefined);
      stopped('you');
    },
  });
  const reportFrame = mountReportFrame(t, stage.remote, () => call !== null && stage.remote.srcObject !== null);

  /** The call is over (either side stopped it, or it could not start): every track stops, the chat goes on. */
  const stopped = (by: 'you' | 'partner' | null, problem: string | null = null) => {
    clearInterval(qualityTimer);
    call?.close();
    call = null;
    stopMedia(stream);
    stream = null;
    held = [];
    stage.remote.srcObject = null;
    stage.self.srcObject = null;
    render({ phase: 'ended', endedBy: by, problem, quality: undefined });
  };

  /** Leaves the video chat (it ended, or another began). */
  const finish = () => {
    stopped(null);
    chatId = null;
    render(IDLE);
  };

  const begin = async (roomId: string, info: CallSetup) => {
    const waiting = held.filter((signal) => signal.roomId === roomId);
    if (chatId) finish();
    chatId = roomId;
    /** A later begin (the chat resumed while the camera opened) or the chat's end makes this one stand down. */
    const attempt = ++attempts;
    const current = () => attempt === attempts && chatId === roomId && view.phase === 'starting';
    held = waiting;
    render({ ...IDLE, phase: 'starting', blurred: prefs.blur, me: { camera: prefs.camera, microphone: prefs.microphone } });
    if (!stream) {
      let opened: MediaStream;
      try {
        opened = await openMedia(prefs);
      } catch (problem) {
        if (!current()) return;
        // No camera: the stranger is told the video stopped, and the chat goes on by text.
        void client.callSignal({ kind: 'end' }).catch(() => undefined);
        stopped('you', t(MEDIA_PROBLEM_WORDS[problem as MediaProblem]));
        return;
      }
      // The chat ended, or its video was stopped, while the camera opened.
      if (!current()) return stopMedia(opened);
      stream = opened;
    }
    const session = new CallSession({
      ...info,
      signalling: client,
      localStream: stream,
      refreshCredentials: () => client.callCredentials(),
      ...(relay && { iceTransportPolicy: 'relay' as const }),
    });
    call = session;
    session.on('track', ({ track, stream: remote }) => {
      stage.remote.srcObject = remote ? (remote as MediaStream) : new MediaStream([track as MediaStreamTrack]);
    });
    session.on('problem', (error) => console.warn('parley: the video call hit a problem', error));
    session.on('phase', (phase) => {
      if (call === session && phase !== 'ended') render({ phase });
    });
    stage.self.srcObject = stream;
    render({ phase: 'connecting', me: { ...session.media } });
    session.start();
    for (const signal of held) void session.handle(signal);
    held = [];
    qualityTimer = setInterval(() => {
      if (call === session && session.phase === 'connected') void session.quality().then((quality) => call === session && render({ quality }), () => undefined);
    }, QUALITY_EVERY_MS);
  };

  client.on('matched', ({ roomId, call: info }) => {
    if (info) return void begin(roomId, info);
    // A text chat: no camera.
    finish();
  });

  client.on('call-signal', (signal) => {
    if (signal.roomId !== chatId || view.phase === 'ended') return;
    if (call) void call.handle(signal);
    else if (signal.kind === 'end') stopped('partner');
    else held.push(signal);
  });

  // The stranger is back after a blip: the initiator restarts ICE, with fresh credentials when it gets them.
  client.on('partner-back', ({ roomId }) => {
    const session = call;
    if (roomId !== chatId || !session?.isInitiator) return;
    client.callCredentials().then(
      ({ iceServers }) => call === session && session.resume({ iceServers, initiator: true }),
      () => call === session && session.restart(),
    );
  });

  client.on('call-state', (state: CallStateEvent) => {
    if (state.roomId !== chatId) return;
    if (state.ended) {
      if (view.phase !== 'ended') stopped(state.by === 'you' ? 'you' : 'partner');
      return;
    }
    render({ partner: { camera: state.camera, microphone: state.microphone } });
  });

  store.subscribe((state) => {
    // The chat ended here or there, or another began: the call goes with it.
    if (chatId && (state.room?.id !== chatId || state.phase !== 'chatting')) finish();
    // A search that was cancelled (or refused) needs no camera any more.
    if (!chatId && state.phase === 'idle' && stream) {
      stopMedia(stream);
      stream = null;
    }
    const waiting = state.link === 'reconnecting' || state.partnerAway;
    if (chatId && waiting !== view.waiting) render({ waiting });
  });

  return {
    prepare() {
      // The start form cleared its error line as this try began.
      const error = byTestId('start-error');
      if (stream) return Promise.resolve(true);
      // A second tap on Start while the camera opens waits for the same request: never two cameras.
      return (preparing ??= openMedia(prefs).then(
        (opened) => {
          preparing = undefined;
          stream = opened;
          return true;
        },
        (problem: MediaProblem) => {
          preparing = undefined;
          setMessage(error, t(MEDIA_PROBLEM_WORDS[problem]));
          return false;
        },
      ));
    },
    resumed({ roomId, mode, call: info }) {
      // A video chat picked up after a reload: its Next searches by video, as the start screen said before.
      if (mode === 'video' && store.get().searchMode !== 'video') {
        store.set({ searchMode: 'video' });
        byTestId<HTMLInputElement>('mode-video').checked = true;
      }
      if (!info) {
        // Picked up as a text chat: a call held for it is over.
        if (roomId === chatId && call) stopped(null);
        return;
      }
      if (roomId === chatId && call) call.resume(info);
      else void begin(roomId, info);
    },
    withFrame(payload: ReportWithFrame) {
      const frame = payload.target.kind === 'chat' ? reportFrame.chosen() : null;
      return frame ? { ...payload, frame } : payload;
    },
  };
}

window.parleyVideo = mountVideo;
