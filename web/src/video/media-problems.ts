/** getUserMedia's refusals, by error name, as problems with words of their own: denied, no device, in use (pure, for tests). */
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
