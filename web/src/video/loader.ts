/**
 * The video chat's code loads only when video is chosen: this part, in the
 * page's script, adds `/video.js` (built apart, see scripts/build-web.js) the
 * first time the person picks video on the start screen, or when a video chat
 * is picked up after a reload, and hands it what it needs. Everything else of
 * video (the camera, the call, its screen, the report's still frame) is in
 * that file.
 */
import type { ParleyClient } from '../app/connection';
import type { Store } from '../app/state';
import type { t } from '../i18n/i18n';
import type { CallSignalEvent, ReportWithFrame } from '@parley/client';
import type { ResumedCall } from './video-main';

/** The versioned URL of video.js, written in by the build. */
declare const PARLEY_VIDEO_SRC: string;

/** What the video code gets from the page. */
export interface VideoContext {
  client: ParleyClient;
  store: Store;
  t: typeof t;
  /** Signals that came while video.js loaded for a resumed video chat (the stranger's restart offer, say). */
  early: CallSignalEvent[];
}

/** What the video code offers the page. */
export interface VideoModule {
  /** Asks for the camera and microphone before a video search; false (the reason shown on the start screen) when they cannot be used. */
  prepare(): Promise<boolean>;
  /** A chat was resumed (a video chat restarts its call). */
  resumed(event: ResumedCall): void;
  /** Adds the still frame to a report of the video chat, when the reporter chose to attach one. */
  withFrame(payload: ReportWithFrame): ReportWithFrame;
}

declare global {
  interface Window {
    parleyVideo?: (context: VideoContext) => VideoModule;
  }
}

let context: VideoContext;
let loading: Promise<VideoModule> | undefined;
let loaded: VideoModule | undefined;

/** Loads /video.js once and mounts it. */
export const loadVideo = (): Promise<VideoModule> =>
  (loading ??= new Promise<VideoModule>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = PARLEY_VIDEO_SRC;
    script.onload = () => resolve((loaded = window.parleyVideo!(context)));
    script.onerror = () => reject((loading = undefined));
    document.head.append(script);
  }));

/** Tells the loader what the video code will need, and passes it resumed chats (a video chat's loads it). */
export function provideVideo(given: Omit<VideoContext, 'early'>): void {
  const early: CallSignalEvent[] = [];
  context = { ...given, early };
  given.client.on('call-signal', (signal) => loaded || early.length > 99 || early.push(signal));
  given.client.on('resumed', (event) => {
    if (event.call || loaded) void loadVideo().then((video) => video.resumed(event), () => undefined);
  });
}

/** A report with the video's still frame when one was chosen. */
export const withFrame = (payload: ReportWithFrame): ReportWithFrame => loaded?.withFrame(payload) ?? payload;
