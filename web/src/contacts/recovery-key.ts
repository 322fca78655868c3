/** Recovery keys as typed or pasted, and the QR code's drawing. Pure functions, no DOM. */
import { encode } from 'uqr';

/** Light modules around the code, as the QR standard asks, so phone cameras find it. */
export const QUIET_ZONE = 4;

/** A recovery key as the server issues it: `<user id>.<signature>`, base64url, at most 128 characters. */
export function looksLikeKey(text: string): boolean {
  return text.length <= 128 && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(text);
}

/** Pulls the key out of what was pasted: spaces and line breaks (from a copied text or a QR reader) dropped. */
export function normalizeKey(text: string): string {
  return text.replace(/\s+/g, '');
}

/** One SVG path for the dark modules of `matrix` (row-major, true = dark), offset by the quiet zone. */
export function qrPath(matrix: readonly (readonly boolean[])[], margin = QUIET_ZONE): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const from = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${from + margin} ${y + margin}h${x - from}v1h${from - x}z`);
    }
  });
  return parts.join('');
}

/** The QR code of `text` (error correction M) as a path and the side of its square, quiet zone included. */
export function qrDrawing(text: string): { path: string; side: number } {
  const { data, size } = encode(text, { ecc: 'M' });
  return { path: qrPath(data), side: size + QUIET_ZONE * 2 };
}
