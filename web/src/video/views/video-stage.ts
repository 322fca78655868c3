/**
 * The video chat's screen, above the messages of the chat screen: the
 * stranger's video (blurred until tapped when that setting is on), the
 * self-view in its corner, what the stranger turned off, "connecting" and
 * "reconnecting", the network quality hint, and three buttons in reach of a
 * thumb: mute, camera off, stop video (the chat goes on by text). Built here,
 * not in index.html, so none of it is in the page until video is chosen.
 */
import type { CallPhase, CallQuality } from '@parley/client';
import { el, show } from '../../app/dom';
import type { t as translate } from '../../i18n/i18n';

/** What the stage shows. */
export interface StageView {
  /** idle: no video chat (the stage is hidden); ended: the call stopped and the chat goes on by text. */
  phase: CallPhase | 'idle' | 'starting';
  blurred: boolean;
  me: { camera: boolean; microphone: boolean };
  partner: { camera: boolean; microphone: boolean };
  quality: CallQuality | undefined;
  /** Who stopped the video, once it stopped. */
  endedBy: 'you' | 'partner' | null;
  /** A problem in words (the camera could not be opened). */
  problem: string | null;
  /** The connection to parley or the stranger's dropped: the call waits to restart. */
  waiting: boolean;
}

export interface StageActions {
  reveal(): void;
  toggleMicrophone(): void;
  toggleCamera(): void;
  stopVideo(): void;
}

export interface Stage {
  remote: HTMLVideoElement;
  self: HTMLVideoElement;
  render(view: StageView): void;
}

function button(testId: string, className: string): HTMLButtonElement {
  const node = el('button', `btn ${className}`);
  node.type = 'button';
  node.dataset.testid = testId;
  return node;
}

function video(testId: string, className: string, label: string): HTMLVideoElement {
  const node = el('video', className);
  node.dataset.testid = testId;
  node.autoplay = true;
  node.playsInline = true;
  node.setAttribute('aria-label', label);
  return node;
}

export function mountStage(t: typeof translate, actions: StageActions): Stage {
  const screen = document.querySelector<HTMLElement>('[data-screen="chat"]')!;
  const root = el('section', 'video-stage');
  root.dataset.testid = 'video-stage';
  root.setAttribute('aria-label', t('video.stage'));
  root.hidden = true;

  const frame = el('div', 'video-frame');
  const remote = video('video-remote', 'video-remote', t('video.remote'));
  const self = video('video-self', 'video-self', t('video.self'));
  self.muted = true;
  const selfOff = el('span', 'video-self-off', t('video.your_camera_off'));
  selfOff.dataset.testid = 'video-self-off';
  const reveal = button('video-reveal', 'btn-secondary video-reveal');
  reveal.append(el('span', 'video-reveal-title', t('video.reveal')), el('span', 'video-reveal-hint', t('video.reveal_hint')));
  const status = el('p', 'video-status');
  status.dataset.testid = 'video-status';
  status.setAttribute('role', 'status');
  const partner = el('p', 'video-partner');
  partner.dataset.testid = 'video-partner-state';
  partner.setAttribute('role', 'status');
  const quality = el('span', 'video-quality');
  quality.dataset.testid = 'video-quality';
  frame.append(remote, reveal, status, partner, quality, self, selfOff);

  const controls = el('div', 'video-controls');
  const microphone = button('video-microphone', 'btn-secondary');
  const camera = button('video-camera', 'btn-secondary');
  const stop = button('video-stop', 'btn-ghost btn-danger-text');
  stop.textContent = t('video.stop');
  stop.title = t('video.stop_hint');
  controls.append(microphone, camera, stop);

  const notice = el('p', 'notice video-notice');
  notice.dataset.testid = 'video-notice';
  notice.setAttribute('role', 'status');
  notice.hidden = true;

  root.append(frame, controls);
  screen.querySelector('.chat-bar')!.after(root, notice);

  reveal.addEventListener('click', () => actions.reveal());
  microphone.addEventListener('click', () => actions.toggleMicrophone());
  camera.addEventListener('click', () => actions.toggleCamera());
  stop.addEventListener('click', () => actions.stopVideo());

  const statusText = (view: StageView): string | null => {
    if (view.problem) return view.problem;
    if (view.waiting || view.phase === 'reconnecting') return t('video.reconnecting');
    if (view.phase === 'connecting' || view.phase === 'starting') return t('video.connecting');
    return null;
  };

  return {
    remote,
    self,
    render(view) {
      const live = view.phase !== 'idle' && view.phase !== 'ended';
      show(root, live);
      screen.classList.toggle('has-video', live);
      root.dataset.phase = view.waiting ? 'reconnecting' : view.phase;
      frame.classList.toggle('is-blurred', view.blurred);
      show(reveal, view.blurred);
      const said = statusText(view);
      status.textContent = said ?? '';
      show(status, said !== null);
      const off = [
        ...(view.partner.camera ? [] : [t('video.partner_camera_off')]),
        ...(view.partner.microphone ? [] : [t('video.partner_muted')]),
      ];
      partner.textContent = off.join(' · ');
      show(partner, off.length > 0 && view.phase === 'connected');
      frame.classList.toggle('partner-camera-off', !view.partner.camera);
      quality.dataset.quality = view.quality ?? '';
      quality.textContent = view.quality ? t(`video.quality_${view.quality}`) : '';
      show(quality, view.quality !== undefined && view.phase === 'connected');
      show(selfOff, !view.me.camera);
      microphone.textContent = view.me.microphone ? t('video.mute') : t('video.unmute');
      camera.textContent = view.me.camera ? t('video.camera_off') : t('video.camera_on');
      // A camera that could not be opened is said after the call, with the chat going on.
      const endedText = view.problem ?? (view.endedBy === 'you' ? t('video.ended_you') : view.endedBy === 'partner' ? t('video.ended_partner') : null);
      notice.textContent = endedText ?? '';
      show(notice, endedText !== null && view.phase === 'ended');
    },
  };
}
