/** A room's own messages: each notice has English words, and the words read back as the same notice. */
import type { RoomNotice } from '../../src/protocol';
import { noticeOf, noticeText, roleNews, settingsNews } from '../../src/rooms/announcements';

const SETTINGS = { slowModeS: 0, description: '', rules: '' };

test('every notice reads back from its words, names with odd characters included', () => {
  const notices: RoomNotice[] = [
    { kind: 'cohost-added', name: 'Ann' },
    { kind: 'cohost-added', name: 'is now a co-host. Bo' },
    { kind: 'cohost-removed', name: 'Zoë 🌻' },
    { kind: 'slow-mode-on', seconds: 10 },
    { kind: 'slow-mode-off' },
    { kind: 'description-changed' },
    { kind: 'rules-changed' },
  ];
  for (const notice of notices) expect(noticeOf(noticeText(notice))).toEqual(notice);
});

test('the announcements are the notices\' words; other words have no notice', () => {
  expect(roleNews('Ann', 'cohost')).toBe('Ann is now a co-host.');
  expect(roleNews('Ann', 'member')).toBe('Ann is no longer a co-host.');
  expect(settingsNews(SETTINGS, { slowModeS: 30, description: 'd', rules: 'r' })).toEqual([
    'Slow mode is on: one message every 30 s.',
    "The host changed the room's description.",
    "The host changed the room's rules.",
  ]);
  expect(settingsNews({ ...SETTINGS, slowModeS: 30 }, SETTINGS)).toEqual(['Slow mode is off.']);
  expect(noticeOf('Welcome to the room.')).toBeUndefined();
  expect(noticeOf('Slow mode is on: one message every s.')).toBeUndefined();
});
