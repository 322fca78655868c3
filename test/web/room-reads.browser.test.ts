/**
 * Unread counts, mentions and edits of topic rooms in Chromium against two
 * parley nodes sharing one Redis and one PostgreSQL: a reader's room list
 * counts what it has not read, on every browser of its identity (a second
 * browser takes the identity with its recovery key, on the other node); a
 * mention of the reader in a room not on screen shows a toast, and the
 * message stands out in the room; the host edits a message from its menu and
 * everyone sees it marked "edited". The same at phone size, with screenshots
 * into docs/, where Edit and Delete also leave one's message by themselves
 * when the server's ROOM_EDIT_WINDOW_MS ends.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { eventually } from '../../testkit/eventually';
import { createRoom, openRooms, restoreIdentity, sayInRoom, userIdOf } from './harness';
import { joinByCode } from './room-people';
import { useRoomStack } from './room-stack';

jest.setTimeout(120_000);

/** Shorter than the 15 minute default: the page must take the server's window, not its own. */
const EDIT_WINDOW_MS = 10 * 60_000;
/** How long Lu's message stays editable on its page (see the phone test). */
const EDIT_SEEN_MS = 20_000;

const rooms = useRoomStack({ postgres: true, env: { ROOM_EDIT_WINDOW_MS: String(EDIT_WINDOW_MS) } });
const { person, shoot } = rooms;

const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' };

const message = (page: Page, text: string) => page.getByTestId('room-message').filter({ hasText: text });
const myRoom = (page: Page, title: string) => page.getByTestId('my-room').filter({ hasText: title });
const badge = (page: Page, title: string, count: number) => myRoom(page, title).locator(`[data-testid="room-unread"][data-count="${count}"]`);

/** The recovery key, as the person would read it off the dialog. */
async function recoveryKey(page: Page): Promise<string> {
  await page.getByTestId('tab-contacts').click();
  await page.getByTestId('identity-settings').locator('summary').click();
  await page.getByTestId('recovery-open').click();
  const key = (await page.getByTestId('recovery-key').inputValue()).trim();
  await page.getByTestId('recovery-done').click();
  return key;
}


test('unread counts follow the identity to its other browser; a mention shows a toast and a highlight; an edit is marked', async () => {
  const host = await person(0, 'Hosty');
  const code = await createRoom(host, 'Book club', { visibility: 'private' });

  const reader = await person(1, 'Reada');
  await reader.goto(rooms.inviteUrl(1, code));
  await reader.getByTestId('room-title').filter({ hasText: 'Book club' }).waitFor();
  await reader.getByTestId('room-back').click();
  await myRoom(reader, 'Book club').waitFor();
  expect(await myRoom(reader, 'Book club').getByTestId('room-unread').count()).toBe(0);

  // Messages while the room is not on screen: counted, and a mention shows a toast.
  await sayInRoom(host, 'first chapter');
  await sayInRoom(host, 'second chapter');
  await badge(reader, 'Book club', 2).waitFor();
  await sayInRoom(host, '@Reada what did you think?');
  await badge(reader, 'Book club', 3).waitFor();
  const toast = reader.getByTestId('room-mention-toast');
  await toast.filter({ hasText: 'Hosty mentioned you in Book club' }).waitFor();
  expect(await reader.getByTestId('tab-rooms-count').getAttribute('data-unread')).toBe('3');

  // The same identity in another browser, on the other node: the same count, from the server.
  const key = await recoveryKey(reader);
  const laptop = await restoreIdentity(rooms.stack, rooms.stack.nodes[0]!, key);
  await openRooms(laptop);
  await badge(laptop, 'Book club', 3).waitFor();

  // Read there: the mention stands out, and the count is gone.
  await myRoom(laptop, 'Book club').getByTestId('room-item-join').click();
  await laptop.locator('[data-testid="room-message"][data-mention="you"]').filter({ hasText: 'what did you think' }).waitFor();
  expect(await laptop.locator('[data-testid="room-message"][data-mention="you"]').count()).toBe(1);
  await laptop.getByTestId('room-back').click();
  await myRoom(laptop, 'Book club').waitFor();
  // Leaving the room told the server at once: the identity's position is 3.
  const identity = await userIdOf(laptop);
  await eventually(async () => {
    const { rows } = await rooms.stack.nodes[0]!.server.postgres!.pool.query<{ read_seq: string }>(
      'SELECT read_seq FROM room_reads WHERE user_id = $1 AND room_code = $2',
      [identity, code],
    );
    expect(rows.map((r) => Number(r.read_seq))).toEqual([3]);
  });
  await laptop.getByTestId('tab-rooms-count').and(laptop.locator('[data-unread="0"]')).waitFor({ state: 'attached' });
  expect(await myRoom(laptop, 'Book club').getByTestId('room-unread').count()).toBe(0);

  // The host edits its first message from the message's menu.
  await message(host, 'first chapter').getByTestId('room-edit').click();
  await host.getByTestId('room-reply-preview').filter({ hasText: 'Editing your message' }).waitFor();
  expect(await host.getByTestId('room-input').inputValue()).toBe('first chapter');
  await sayInRoom(host, 'first chapter (revised)');
  await message(host, 'first chapter (revised)').getByTestId('room-edited').waitFor();
  expect(await message(host, 'second chapter').getByTestId('room-edited').count()).toBe(0);
  // An edit is no new message: nothing more to read.
  await sayInRoom(host, 'third chapter');
  await badge(laptop, 'Book club', 1).waitFor();

  // The first browser takes the identity back and finds the same count; the edit shows there too.
  await reader.reload();
  await openRooms(reader);
  await myRoom(reader, 'Book club').waitFor();
  await badge(reader, 'Book club', 1).waitFor();
  await myRoom(reader, 'Book club').getByTestId('room-item-join').click();
  await message(reader, 'first chapter (revised)').getByTestId('room-edited').waitFor();
  expect(await message(reader, 'third chapter').count()).toBe(1);
});

test('on a phone: the unread badge and the mention toast, the mention highlighted in the room, and editing one\'s own message until the server\'s edit window closes', async () => {
  const host = await person(0, 'Hosty');
  const code = await createRoom(host, 'Phone club', { visibility: 'private' });
  const phone = await person(1, 'Mo', PHONE);
  await phone.goto(rooms.inviteUrl(1, code));
  await phone.getByTestId('room-title').filter({ hasText: 'Phone club' }).waitFor();
  await phone.getByTestId('room-back').click();
  await myRoom(phone, 'Phone club').waitFor();

  await sayInRoom(host, 'welcome, everyone');
  await sayInRoom(host, '@Mo did you get the tickets?');
  await badge(phone, 'Phone club', 2).waitFor();
  await phone.getByTestId('room-mention-toast').filter({ hasText: 'Hosty mentioned you in Phone club' }).waitFor();
  await shoot(phone, 'screenshot-rooms-unread-mobile');

  // Open from the toast: the room shows, the toast goes, the mention stands out.
  await phone.getByTestId('room-mention-open').click();
  await phone.getByTestId('room-mention-toast').waitFor({ state: 'hidden' });
  await phone.locator('[data-testid="room-message"][data-mention="you"]').filter({ hasText: 'tickets' }).waitFor();
  await sayInRoom(phone, 'yes, two of them');
  await message(host, 'yes, two of them').waitFor();
  await message(phone, 'yes, two of them').locator('[data-testid="room-edit"]').click();
  await phone.getByTestId('room-reply-preview').filter({ hasText: 'Editing your message' }).waitFor();
  await sayInRoom(phone, 'yes, three of them');
  await message(host, 'yes, three of them').getByTestId('room-edited').waitFor();
  await message(phone, 'yes, three of them').getByTestId('room-edited').waitFor();
  expect(await message(host, 'two of them').count()).toBe(0);
  await shoot(phone, 'screenshot-rooms-mention-mobile');
  await shoot(host, 'screenshot-rooms-edited-desktop');

  // The server's edit window closes and Edit and Delete leave one's message by themselves, with no reload: Lu's
  // clock runs ahead by all of the window but EDIT_SEEN_MS, so that moment comes EDIT_SEEN_MS after the send.
  const lu = await person(1, 'Lu', PHONE, { clockAheadMs: EDIT_WINDOW_MS - EDIT_SEEN_MS });
  await joinByCode(lu, code);
  await sayInRoom(lu, 'running late, sorry');
  const late = message(lu, 'running late, sorry');
  await late.getByTestId('room-edit').waitFor({ state: 'attached' });
  expect(await late.getByTestId('room-delete').count()).toBe(1);
  await late.getByTestId('room-edit').waitFor({ state: 'detached', timeout: EDIT_SEEN_MS + 10_000 });
  expect(await late.getByTestId('room-delete').count()).toBe(0);
  expect(await late.getByTestId('room-react').count()).toBe(1);
});
