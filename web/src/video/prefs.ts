/**
 * The video choices kept on the device (`localStorage`, key `parley.video`):
 * camera and microphone on or off at start, and whether a stranger's video is
 * blurred until tapped (on unless turned off).
 */
export interface VideoPrefs {
  camera: boolean;
  microphone: boolean;
  blur: boolean;
}

export const VIDEO_PREFS_KEY = 'parley.video';
export const DEFAULT_PREFS: Readonly<VideoPrefs> = Object.freeze({ camera: true, microphone: true, blur: true });

/** The stored choices, each one checked (anything unreadable falls back to its default). */
export function parsePrefs(raw: string | null): VideoPrefs {
  let stored: Partial<Record<keyof VideoPrefs, unknown>> = {};
  try {
    stored = (raw ? JSON.parse(raw) : {}) ?? {};
  } catch {
    /* not JSON: the defaults */
  }
  const pick = (key: keyof VideoPrefs) => (typeof stored[key] === 'boolean' ? (stored[key] as boolean) : DEFAULT_PREFS[key]);
  return { camera: pick('camera'), microphone: pick('microphone'), blur: pick('blur') };
}
