/**
 * The message box is one binding in three places (the chat, a room, a
 * conversation with a contact), in Chromium against two nodes (and PostgreSQL,
 * for contacts): Shift+Enter breaks the line, Enter sends the lines as one
 * message and empties the box, the send button is off while the box is empty,
 * and text over the limit stays in the box with a word instead of being cut.
 */
import type { Locator, Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { createRoom, keptInTouch, matchedPair, openRooms, startStack, type Stack } from './harness';

jest.setTimeout(120_000);

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  stack = await startStack(2, { DATABASE_URL: postgres.url });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

/** The test ids of one composer. */
interface Box {
  input: string;
  send: string;
  counter: string;
  error: string;
}

const CHAT: Box = { input: 'message-input', send: 'send', counter: 'char-counter', error: 'chat-error' };
const ROOM: Box = { input: 'room-input', send: 'room-send', counter: 'room-counter', error: 'room-error' };
const DM: Box = { input: 'dm-input', send: 'dm-send', counter: 'dm-counter', error: 'dm-error' };

/** Writes two lines in `box` and sends them; `delivered` is the bubble where they should arrive. */
async function expectSameBox(page: Page, box: Box, delivered: Locator): Promise<void> {
  const input = page.getByTestId(box.input);
  const send = page.getByTestId(box.send);
  expect(await send.isDisabled()).toBe(true);

  await input.fill('first line');
  await input.press('Shift+Enter');
  await input.pressSequentially('second line');
  expect(await input.inputValue()).toBe('first line\nsecond line');
  expect(await page.getByTestId(box.counter).textContent()).toBe('22 / 1,000');
  expect(await send.isDisabled()).toBe(false);

  await input.press('Enter');
  const bubble = delivered.filter({ hasText: 'second line' }).first();
  await bubble.waitFor();
  expect(await bubble.textContent()).toBe('first line\nsecond line');
  expect(await input.inputValue()).toBe('');
  expect(await send.isDisabled()).toBe(true);

  // Over the limit: Enter says why, and nothing is cut or lost.
  const long = 'x'.repeat(1001);
  await input.fill(long);
  expect(await send.isDisabled()).toBe(true);
  await input.press('Enter');
  await page.getByTestId(box.error).filter({ hasText: /too long/i }).waitFor();
  expect(await input.inputValue()).toBe(long);
  await input.fill('');
}

test('the chat, a room and a conversation share one message box', async () => {
  const [a, b] = await matchedPair(stack);
  await expectSameBox(a, CHAT, b.locator('.msg-partner .bubble-text'));

  await keptInTouch(a, b);
  await expectSameBox(a, DM, b.locator('[data-testid="dm-message"][data-from="contact"] .bubble-text'));

  await openRooms(a);
  await createRoom(a, 'Two lines');
  await expectSameBox(a, ROOM, a.locator('[data-testid="room-message"] .bubble-text'));
});
