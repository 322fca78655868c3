/** The video chat's pure parts: getUserMedia's refusals in plain words, the kept choices, the report frame's size. */
import { mediaProblem, MEDIA_PROBLEM_WORDS } from '../../web/src/video/media-problems';
import { DEFAULT_PREFS, parsePrefs } from '../../web/src/video/prefs';
import { dataUrlBytes, fittingFrame, MAX_FRAME_BYTES } from '../../web/src/video/frame-size';
import english from '../../web/locales/en.json';

describe('camera and microphone refusals', () => {
  test('denied, no device and in use each come from getUserMedia’s error names; anything else is unsupported', () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    expect(mediaProblem(named('NotAllowedError'))).toBe('denied');
    expect(mediaProblem(named('SecurityError'))).toBe('denied');
    expect(mediaProblem(named('NotFoundError'))).toBe('no-device');
    expect(mediaProblem(named('OverconstrainedError'))).toBe('no-device');
    expect(mediaProblem(named('NotReadableError'))).toBe('in-use');
    expect(mediaProblem(named('AbortError'))).toBe('in-use');
    expect(mediaProblem(named('TypeError'))).toBe('unsupported');
    expect(mediaProblem(undefined)).toBe('unsupported');
  });

  test('each problem has its own words', () => {
    const words = Object.values(MEDIA_PROBLEM_WORDS).map((key) => english[key]);
    expect(new Set(words).size).toBe(4);
    expect(english[MEDIA_PROBLEM_WORDS.denied]).toMatch(/allowed/);
    expect(english[MEDIA_PROBLEM_WORDS['no-device']]).toMatch(/No camera or microphone/);
    expect(english[MEDIA_PROBLEM_WORDS['in-use']]).toMatch(/in use by another app/);
  });
});

describe('the kept video choices', () => {
  test('blur is on, camera and microphone on, unless stored otherwise; anything unreadable falls back field by field', () => {
    expect(parsePrefs(null)).toEqual(DEFAULT_PREFS);
    expect(DEFAULT_PREFS.blur).toBe(true);
    expect(parsePrefs('{"camera":false,"blur":false}')).toEqual({ camera: false, microphone: true, blur: false });
    expect(parsePrefs('{"camera":"no","microphone":false}')).toEqual({ camera: true, microphone: false, blur: true });
    expect(parsePrefs('not json')).toEqual(DEFAULT_PREFS);
    expect(parsePrefs('null')).toEqual(DEFAULT_PREFS);
  });
});

describe('the report’s still frame', () => {
  const url = (bytes: number) => `data:image/jpeg;base64,${Buffer.alloc(bytes, 7).toString('base64')}`;

  test('the decoded size of a data URL counts the padding out', () => {
    for (const bytes of [0, 1, 2, 3, 1000, MAX_FRAME_BYTES]) expect(dataUrlBytes(url(bytes))).toBe(bytes);
  });

  test('the quality goes down until the JPEG fits 150 KB; none that fits gives nothing', () => {
    const asked: number[] = [];
    const sizes: Record<string, number> = { '0.85': 300_000, '0.7': 200_000, '0.55': 140_000 };
    const frame = fittingFrame((quality) => (asked.push(quality), url(sizes[String(quality)] ?? 1000)));
    expect(asked).toEqual([0.85, 0.7, 0.55]);
    expect(dataUrlBytes(frame!)).toBe(140_000);
    expect(fittingFrame(() => url(MAX_FRAME_BYTES + 1))).toBeNull();
  });
});
