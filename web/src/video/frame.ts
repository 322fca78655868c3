/**
 * A still frame of the stranger's video for a report: the remote <video>
 * drawn on a canvas (as it is, never blurred), at most 640 px wide, as a JPEG
 * data URL of at most 150 KB decoded, the quality lowered step by step until
 * it fits.
 */

/** The largest frame the server takes, decoded. */
export const MAX_FRAME_BYTES = 150 * 1024;
const MAX_WIDTH = 640;
const QUALITIES = [0.85, 0.7, 0.55, 0.4, 0.25];

/** The decoded size of a base64 data URL. */
export function dataUrlBytes(url: string): number {
  const base64 = url.slice(url.indexOf(',') + 1);
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/** The first encoding within the limit, or null when even the lowest quality is over it. */
export function fittingFrame(encode: (quality: number) => string, maxBytes = MAX_FRAME_BYTES): string | null {
  for (const quality of QUALITIES) {
    const url = encode(quality);
    if (dataUrlBytes(url) <= maxBytes) return url;
  }
  return null;
}

/** The frame on show in `video`, or null when it shows nothing yet. */
export function captureFrame(video: HTMLVideoElement): string | null {
  if (!video.videoWidth || !video.videoHeight) return null;
  const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  return fittingFrame((quality) => canvas.toDataURL('image/jpeg', quality));
}
