/**
 * The still frame a reporter may attach to a report of a chat partner: one
 * picture of the remote video as a `data:image/jpeg;base64,…` URL. The server
 * cannot tell where it came from, so the console shows it as supplied by the
 * reporter. It must be a JPEG (starts with the SOI marker FF D8 FF, ends with
 * the EOI marker FF D9) of at most REPORT_FRAME_MAX_BYTES once decoded, in
 * strict base64 (no whitespace, padding only at the end). Plain code.
 */

/** The largest frame kept, decoded: 150 KB. */
export const REPORT_FRAME_MAX_BYTES = 150 * 1024;
export const REPORT_FRAME_PREFIX = 'data:image/jpeg;base64,';
/** The longest data URL that can hold REPORT_FRAME_MAX_BYTES. */
export const REPORT_FRAME_MAX_LENGTH = REPORT_FRAME_PREFIX.length + Math.ceil(REPORT_FRAME_MAX_BYTES / 3) * 4;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why a frame is refused, in words a client developer can act on; null when it is a valid frame. */
export function frameProblem(url: string): string | null {
  if (!url.startsWith(REPORT_FRAME_PREFIX)) return `a frame must be a ${REPORT_FRAME_PREFIX}… URL`;
  if (url.length > REPORT_FRAME_MAX_LENGTH) return `a frame may be at most ${REPORT_FRAME_MAX_BYTES} bytes`;
  const body = url.slice(REPORT_FRAME_PREFIX.length);
  if (body.length % 4 !== 0 || !BASE64.test(body)) return 'a frame must be base64';
  const jpeg = Buffer.from(body, 'base64');
  if (jpeg.length > REPORT_FRAME_MAX_BYTES) return `a frame may be at most ${REPORT_FRAME_MAX_BYTES} bytes`;
  const n = jpeg.length;
  const jpegMarkers = n >= 5 && jpeg[0] === 0xff && jpeg[1] === 0xd8 && jpeg[2] === 0xff && jpeg[n - 2] === 0xff && jpeg[n - 1] === 0xd9;
  return jpegMarkers ? null : 'a frame must be a JPEG image';
}

/** The JPEG bytes of a frame that passed frameProblem(). */
export function frameBytes(url: string): Buffer {
  return Buffer.from(url.slice(REPORT_FRAME_PREFIX.length), 'base64');
}
