/**
 * Topic rooms in Chromium against two parley nodes sharing one Redis: the
 * host's page talks to one node, the other people's to the other.
 */
import type { Page } from 'playwright-core';
import { eventually } from '../../testkit/eventually';
import { io } from 'socket.io-client';
import { createRoom, openRooms, roomTexts, sayInRoom, startStack, type Stack } from './harness';

jest.setTimeout(60_000);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(2, { ROOM_MESSAGE_RATE_LIMIT: '1000' });
});

afterAll(async () => {
  await stack?.close();
});

/** A person on `node` with a chosen room name, on the rooms side. */
async function person(nodeIndex: number, name: string, path = ''): Promise<Page> {
  const page = await stack.open(stack.nodes[nodeIndex]!);
  if (path) await page.goto(`${stack.nodes[nodeIndex]!.url}${path}`);
  await page.getByTestId('tab-rooms').waitFor();
  if (!path) await openRooms(page);
  if (!path) await page.getByTestId('room-name-input').fill(name);
  return page;
}

const message = (page: Page, text: string) => page.getByTestId('room-message').filter({ hasText: text });

async function expectTexts(page: Page, texts: string[]): Promise<void> {
  await message(page, texts[texts.length - 1]!).waitFor();
  expect(await roomTexts(page)).toEqual(texts);
}

test('a room made on one node is listed on the other; people chat, reply, type, and the host deletes and removes', async () => {
  const host = await person(0, 'Hosty');
  await createRoom(host, 'Jazz corner', { topic: 'jazz' });
  await host.getByTestId('room-member').filter({ hasText: 'host' }).waitFor();

  const guest = await person(1, 'Guesty');
  const listed = guest.getByTestId('room-item').filter({ hasText: 'Jazz corner' });
  await listed.waitFor();
  expect(await listed.getByTestId('room-item-members').getAttribute('data-members')).toBe('1');
  await listed.getByTestId('room-item-join').click();
  await guest.getByTestId('room-title').filter({ hasText: 'Jazz corner' }).waitFor();

  // Presence: the host sees the newcomer join.
  await host.locator('[data-testid="room-member"][data-name="Guesty"]').waitFor();
  await guest.locator('[data-testid="room-member"][data-name="Hosty"]').waitFor();

  await sayInRoom(host, 'one');
  await sayInRoom(host, 'two');
  await message(guest, 'two').waitFor();
  await sayInRoom(guest, 'three');
  await sayInRoom(host, 'four');
  await expectTexts(guest, ['one', 'two', 'three', 'four']);
  await expectTexts(host, ['one', 'two', 'three', 'four']);

  await guest.getByTestId('room-input').pressSequentially('hm');
  await host.getByTestId('room-typing').filter({ hasText: 'Guesty is typing' }).waitFor();
  await guest.getByTestId('room-input').fill('');

  await message(guest, 'one').getByTestId('room-reply').click();
  await guest.getByTestId('room-reply-preview').filter({ hasText: 'one' }).waitFor();
  await sayInRoom(guest, 'an answer to one');
  const answer = message(host, 'an answer to one');
  await answer.getByTestId('room-quote').filter({ hasText: 'Hosty' }).filter({ hasText: 'one' }).waitFor();
  await host.getByTestId('room-typing').waitFor({ state: 'hidden' });

  // The host deletes the guest's message, after confirming.
  await message(host, 'three').getByTestId('room-delete').click();
  await host.getByTestId('room-confirm').waitFor({ state: 'visible' });
  await host.getByTestId('room-confirm-ok').click();
  await message(guest, 'three').waitFor({ state: 'detached' });
  await message(host, 'three').waitFor({ state: 'detached' });
  // A member deletes only its own messages; the host any.
  expect(await message(guest, 'four').getByTestId('room-delete').count()).toBe(0);
  expect(await message(guest, 'an answer to one').getByTestId('room-delete').count()).toBe(1);

  // Escape cancels; confirming removes the guest, who is told and cannot come back.
  const guestRow = host.locator('[data-testid="room-member"][data-name="Guesty"]');
  await guestRow.getByTestId('room-kick').click();
  await host.keyboard.press('Escape');
  await host.getByTestId('room-confirm').waitFor({ state: 'hidden' });
  await guestRow.getByTestId('room-kick').click();
  await host.getByTestId('room-confirm-ok').click();
  await guestRow.waitFor({ state: 'detached' });
  await guest.getByTestId('rooms-notice').filter({ hasText: 'The host removed you from “Jazz corner”' }).waitFor();
  await guest.getByTestId('room-item').filter({ hasText: 'Jazz corner' }).getByTestId('room-item-join').click();
  await guest.getByTestId('rooms-error').filter({ hasText: 'You were removed from that room' }).waitFor();
  expect(await guest.getByTestId('room-view').isVisible()).toBe(false);
});

test('a private room is not listed and is joined through its /r/<code> link', async () => {
  const host = await person(0, 'Priv Host');
  const code = await createRoom(host, 'Secret club', { visibility: 'private' });
  expect(code).toMatch(/^[A-Za-z0-9_-]{21}$/);

  const friend = await person(1, '', `/r/${code}`);
  await friend.getByTestId('room-title').filter({ hasText: 'Secret club' }).waitFor();
  await friend.getByTestId('room-sub').filter({ hasText: 'Private room' }).waitFor();
  await host.getByTestId('room-member').nth(1).waitFor();
  await sayInRoom(friend, 'found it');
  await message(host, 'found it').waitFor();

  await friend.getByTestId('room-back').click();
  await friend.getByTestId('my-room').filter({ hasText: 'Secret club' }).waitFor();
  const { rooms } = (await (await fetch(`${stack.nodes[1]!.url}/api/rooms`)).json()) as { rooms: { code: string }[] };
  expect(rooms.map((r) => r.code)).not.toContain(code);
  await friend.locator('[data-testid="rooms-list-status"]:not(:has-text("Loading"))').waitFor({ state: 'attached' });
  expect(await friend.getByTestId('room-item').filter({ hasText: 'Secret club' }).count()).toBe(0);

  const stranger = await person(0, '', '/r/doesNotExist123');
  await stranger.getByTestId('rooms-error').filter({ hasText: 'doesn’t exist' }).waitFor();
});

test.each(['public', 'private'] as const)('scrolling up pages back through a %s room\'s history, oldest first, without duplicates', async (visibility) => {
  // Seed 70 messages from a plain client: more than the 50 a join returns.
  const seeder = io(stack.nodes[0]!.url, { transports: ['websocket'] });
  let code = '';
  try {
    const created = await seeder.timeout(5000).emitWithAck('room-create', { title: 'Long history', visibility });
    code = created.room.code;
    for (let i = 1; i <= 70; i++) {
      const ack = await seeder.timeout(5000).emitWithAck('room-message', { code, text: `seed ${i}` });
      expect(ack.ok).toBe(true);
    }
  } finally {
    seeder.close();
  }

  const reader = await person(1, '', `/r/${code}`);
  await message(reader, 'seed 70').waitFor();
  expect(await reader.getByTestId('room-message').count()).toBe(50);
  expect((await roomTexts(reader))[0]).toBe('seed 21');

  await reader.getByTestId('room-messages').evaluate((list) => {
    list.scrollTop = 0;
  });
  await reader.locator('[data-testid="room-message"][data-seq="1"]').waitFor();
  await reader.getByTestId('room-start').waitFor();
  expect(await roomTexts(reader)).toEqual(Array.from({ length: 70 }, (_, i) => `seed ${i + 1}`));
});

test('after a network blip the room is joined again, nothing sent meanwhile is missed, and what was written offline is sent once', async () => {
  const host = await person(0, 'Blip Host');
  await createRoom(host, 'Blip room');
  const guest = await person(1, 'Blip Guest');
  await guest.getByTestId('room-item').filter({ hasText: 'Blip room' }).getByTestId('room-item-join').click();
  await host.locator('[data-testid="room-member"][data-name="Blip Guest"]').waitFor();
  await sayInRoom(host, 'before');
  await message(guest, 'before').waitFor();

  await guest.context().setOffline(true);
  await guest.locator('[data-testid="status"][data-state="reconnecting"]').waitFor();
  await sayInRoom(host, 'while you were away');
  await sayInRoom(host, 'and this too');
  await sayInRoom(guest, 'written offline');
  await guest.locator('[data-testid="room-message"][data-status="sending"]').filter({ hasText: 'written offline' }).waitFor();
  await guest.context().setOffline(false);
  // The queued message goes out after the reconnect, so its seq comes after what the host sent meanwhile.
  await eventually(async () => expect(await roomTexts(guest)).toEqual(['before', 'while you were away', 'and this too', 'written offline']), 15_000);
  await sayInRoom(guest, 'back');
  await message(host, 'back').waitFor();
  expect(await roomTexts(host)).toEqual(['before', 'while you were away', 'and this too', 'written offline', 'back']);
  // The guest stayed listed through the blip: no leave and join seen by the host.
  expect(await host.locator('[data-testid="room-member"][data-name="Blip Guest"]').count()).toBe(1);
});

test('a person chats one-to-one and in a room at the same time, one tap apart', async () => {
  const ann = await stack.open(stack.nodes[0]!);
  const ben = await stack.open(stack.nodes[1]!);
  await ann.getByTestId('start').click();
  await ben.getByTestId('start').click();
  await ann.locator('[data-testid="status"][data-state="chatting"]').waitFor();
  await ben.locator('[data-testid="status"][data-state="chatting"]').waitFor();

  await openRooms(ann);
  await createRoom(ann, 'Side room');
  await sayInRoom(ann, 'hello room');
  await message(ann, 'hello room').waitFor();

  // A message from the chat partner while the rooms are shown: the chat tab says so.
  await ben.getByTestId('message-input').fill('still there?');
  await ben.getByTestId('message-input').press('Enter');
  await ann.getByTestId('tab-chat-attention').waitFor({ state: 'visible' });
  await ann.getByTestId('tab-chat').click();
  await ann.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: 'still there?' }).waitFor();
  await ann.getByTestId('tab-chat-attention').waitFor({ state: 'hidden' });
  await ann.locator('[data-testid="status"][data-state="chatting"]').waitFor();
  await ann.getByTestId('tab-rooms').click();
  await message(ann, 'hello room').waitFor();
});
