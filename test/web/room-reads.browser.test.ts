/**
 * Unread counts, mentions and edits of topic rooms in Chromium against two
 * parley nodes sharing one Redis and one PostgreSQL: a reader's room list
 * counts what it has not read, on every browser of its identity (a second
 * browser takes the identity with its recovery key, on the other node); a
 * mention of the reader in a room not on screen shows a toast, and the
 * message stands out in the room; the host edits a message from its menu and
 * everyone sees it marked "edited".
 */
import type { Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { createRoom, openRooms, restoreIdentity, sayInRoom, startStack, type Stack } from './harness';

jest.setTimeout(120_000);

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  stack = await startStack(2, { DATABASE_URL: postgres.url, ROOM_MESSAGE_RATE_LIMIT: '1000' });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

/** A person on `node` with a chosen room name, on the rooms side. */
async function person(nodeIndex: number, name: string): Promise<Page> {
  const page = await stack.open(stack.nodes[nodeIndex]!);
  await openRooms(page);
  await page.getByTestId('room-name-input').fill(name);
  return page;
}

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
  await reader.goto(`${stack.nodes[1]!.url}/r/${code}`);
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
  const laptop = await restoreIdentity(stack, stack.nodes[0]!, key);
  await openRooms(laptop);
  await badge(laptop, 'Book club', 3).waitFor();

  // Read there: the mention stands out, and the count is gone.
  await myRoom(laptop, 'Book club').getByTestId('room-item-join').click();
  await laptop.locator('[data-testid="room-message"][data-mention="you"]').filter({ hasText: 'what did you think' }).waitFor();
  expect(await laptop.locator('[data-testid="room-message"][data-mention="you"]').count()).toBe(1);
  await laptop.getByTestId('room-back').click();
  await myRoom(laptop, 'Book club').waitFor();
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
  await badge(reader, 'Book club', 1).waitFor();
  await myRoom(reader, 'Book club').getByTestId('room-item-join').click();
  await message(reader, 'first chapter (revised)').getByTestId('room-edited').waitFor();
  expect(await message(reader, 'third chapter').count()).toBe(1);
});
