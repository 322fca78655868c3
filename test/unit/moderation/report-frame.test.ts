import { REPORT_FRAME_MAX_BYTES, REPORT_FRAME_MAX_LENGTH, frameBytes, frameProblem } from '../../../src/moderation/report-frame';

const jpeg = (size: number): Buffer => {
  const bytes = Buffer.alloc(size, 7);
  bytes.set([0xff, 0xd8, 0xff], 0);
  bytes.set([0xff, 0xd9], size - 2);
  return bytes;
};
const url = (bytes: Buffer) => `data:image/jpeg;base64,${bytes.toString('base64')}`;

test('a JPEG data URL of up to 150 KB is a frame, and decodes to its bytes', () => {
  for (const size of [5, 1000, REPORT_FRAME_MAX_BYTES - 1, REPORT_FRAME_MAX_BYTES]) {
    expect({ size, problem: frameProblem(url(jpeg(size))) }).toEqual({ size, problem: null });
  }
  expect(frameBytes(url(jpeg(300))).equals(jpeg(300))).toBe(true);
  // The longest valid URL is the limit the schema and the packet size are built on.
  expect(url(jpeg(REPORT_FRAME_MAX_BYTES)).length).toBe(REPORT_FRAME_MAX_LENGTH);
});

test('anything else is refused with a reason: too big, not a JPEG, not strict base64, not a JPEG data URL', () => {
  const cases: [string, RegExp][] = [
    [url(jpeg(REPORT_FRAME_MAX_BYTES + 1)), /at most 153600 bytes/],
    [url(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])), /JPEG/],
    [url(Buffer.from([0x00, 0xd8, 0xff, 0xe0, 0xff, 0xd9])), /JPEG/],
    [url(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), /JPEG/],
    [`data:image/png;base64,${jpeg(10).toString('base64')}`, /data:image\/jpeg;base64/],
    [`DATA:image/jpeg;base64,${jpeg(10).toString('base64')}`, /data:image\/jpeg;base64/],
    [`${url(jpeg(10))} `, /base64/],
    [url(jpeg(10)).replace(/=+$/, ''), /base64/],
    [`data:image/jpeg;base64,${jpeg(12).toString('base64url')}`, /base64/],
    ['data:image/jpeg;base64,', /JPEG/],
  ];
  for (const [frame, reason] of cases) expect({ frame: frame.slice(0, 40), problem: frameProblem(frame) }).toEqual({ frame: frame.slice(0, 40), problem: expect.stringMatching(reason) });
});
