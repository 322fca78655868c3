/** A still frame's size: the decoded bytes of a data URL, and the first JPEG quality that fits the limit (pure, for tests). */

/** The largest frame the server takes, decoded. */
export const MAX_FRAME_BYTES = 150 * 1024;
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
