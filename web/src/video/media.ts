/**
 * The camera and microphone: one getUserMedia for both (so either can be
 * turned on later without asking again), each track on or off as chosen, and
 * getUserMedia's refusals in plain words: denied, no device, in use.
 */
import type { MessageKey } from '../i18n/i18n';

/** Why the camera or microphone cannot be used. */
export type MediaProblem = 'denied' | 'no-device' | 'in-use' | 'unsupported';

/** getUserMedia's error (a DOMException) by name, as a problem the page can word. */
export function mediaProblem(error: unknown): MediaProblem {
  switch ((error as { name?: string } | null)?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'no-device';
    case 'NotReadableError':
    case 'AbortError':
    case 'TrackStartError':
      return 'in-use';
    default:
      return 'unsupported';
  }
}

export const MEDIA_PROBLEM_WORDS: Record<MediaProblem, MessageKey> = {
  denied: 'video.problem_denied',
  'no-device': 'video.problem_no_device',
  'in-use': 'video.problem_in_use',
  unsupported: 'video.problem_unsupported',
};

/** The camera and microphone, each track enabled as chosen; rejects with a MediaProblem. */
export async function openMedia(choice: { camera: boolean; microphone: boolean }): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw 'unsupported' satisfies MediaProblem;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
      audio: { echoCancellation: true, noiseSuppression: true },
    });
  } catch (error) {
    throw mediaProblem(error);
  }
  for (const track of stream.getVideoTracks()) track.enabled = choice.camera;
  for (const track of stream.getAudioTracks()) track.enabled = choice.microphone;
  return stream;
}

/** Stops every track at once (the camera light goes off). */
export function stopMedia(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
