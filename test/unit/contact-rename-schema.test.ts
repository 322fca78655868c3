/** The server counts a nickname in characters (code points), as the rename dialog's counter does. */
import { schemas } from '../../src/realtime/schemas';

const MAX = 40;
const rename = (nickname: string) => schemas['contact-rename'].safeParse({ contactId: 'c1', nickname });

test('a nickname ending in an emoji fits its 40 characters whole', () => {
  const fits = `${'a'.repeat(MAX - 1)}🦊`;
  expect(fits.length).toBe(MAX + 1);
  expect(rename(fits)).toMatchObject({ success: true, data: { nickname: fits } });
});

test('a nickname over 40 characters, empty, or with half an emoji is refused, never shortened', () => {
  expect(rename(`${'a'.repeat(MAX)}🦊`).success).toBe(false);
  expect(rename('   ').success).toBe(false);
  expect(rename(`${'a'.repeat(10)}\ud83e`).success).toBe(false);
});
