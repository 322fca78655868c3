/** A room's own messages in the reader's language, from their `notice`; the English text for a notice unknown here. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RoomMessage } from '../../src/protocol';
import { noticeText } from '../../src/rooms/announcements';
import { useMessages } from '../../web/src/i18n/i18n';
import { systemWords } from '../../web/src/rooms/notices';

const read = (language: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'web', 'locales', `${language}.json`), 'utf8'));

afterAll(() => useMessages('en', read('en')));

const NOTICES: NonNullable<RoomMessage['notice']>[] = [
  { kind: 'cohost-added', name: 'Ann' },
  { kind: 'cohost-removed', name: 'Ann' },
  { kind: 'slow-mode-on', seconds: 10 },
  { kind: 'slow-mode-off' },
  { kind: 'description-changed' },
  { kind: 'rules-changed' },
];

test('in English the page words each notice as the server does (but for its typographic apostrophe)', () => {
  useMessages('en', read('en'));
  for (const notice of NOTICES) expect(systemWords({ text: 'unused', notice })).toBe(noticeText(notice).replace("'", '’'));
});

test('in German and Arabic each notice is in that language, with the name and the seconds in it', () => {
  useMessages('de', read('de'));
  expect(systemWords({ text: 'Ann is now a co-host.', notice: { kind: 'cohost-added', name: 'Ann' } })).toBe('Ann ist jetzt Co-Host.');
  expect(systemWords({ text: '', notice: { kind: 'slow-mode-on', seconds: 10 } })).toBe('Langsamer Modus ist an: eine Nachricht alle 10 s.');
  useMessages('ar', read('ar'));
  expect(systemWords({ text: '', notice: { kind: 'cohost-removed', name: 'Ann' } })).toBe('لم يعد Ann مضيفًا مساعدًا.');
  const words = new Set(NOTICES.map((notice) => systemWords({ text: noticeText(notice), notice })));
  for (const notice of NOTICES) expect(words).not.toContain(noticeText(notice));
});

test('a message without a notice, or with one this page does not know, shows its text', () => {
  useMessages('de', read('de'));
  expect(systemWords({ text: 'Welcome.' })).toBe('Welcome.');
  expect(systemWords({ text: 'Something new.', notice: { kind: 'room-renamed' } as unknown as NonNullable<RoomMessage['notice']> })).toBe('Something new.');
});
