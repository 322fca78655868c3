/**
 * What a newcomer meets, in Chromium against two nodes with the rules gate on
 * (and PostgreSQL, for contacts): an invite link opened on a first visit, room
 * errors and notices on screen, right-to-left text, focus after the rules, and
 * lengths told before anything is cut.
 */
import type { Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { acceptRules, addInterests, createRoom, keptInTouch, openRooms, sayInRoom, startStack, waitForState, type Stack } from './harness';

jest.setTimeout(120_000);

// The page's globals used inside evaluate (this project compiles without the DOM library).
declare const document: {
  activeElement: { dataset?: Record<string, string | undefined> } | null;
  querySelector(selector: string): { contains(node: unknown): boolean } | null;
  elementFromPoint(x: number, y: number): unknown;
};
declare function getComputedStyle(node: unknown): { direction: string };

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const ARABIC = 'مرحبا، كيف حالك اليوم؟';

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  stack = await startStack(2, {
    RULES_GATE: 'on',
    DATABASE_URL: postgres.url,
    ROOM_MESSAGE_RATE_LIMIT: '1000',
    DM_RATE_LIMIT: '1000',
  });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

/** A first visit (a fresh browser context) to `path` on node `nodeIndex`. */
async function visit(nodeIndex: number, path = '/', viewport = DESKTOP): Promise<Page> {
  const context = await stack.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${stack.nodes[nodeIndex]!.url}${path}`);
  return page;
}

/** A visitor who accepted the rules, on the rooms list with `name` as their room name. */
async function roomsVisitor(nodeIndex: number, name: string, viewport = DESKTOP): Promise<Page> {
  const page = await visit(nodeIndex, '/', viewport);
  await acceptRules(page);
  await openRooms(page);
  await page.getByTestId('room-name-input').fill(name);
  return page;
}

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.dataset?.testid ?? null);
}

async function waitForFocus(page: Page, testId: string): Promise<void> {
  await page.waitForFunction((id) => document.activeElement?.dataset?.testid === id, testId, {
    timeout: 15_000,
  });
}

/** The element is inside the viewport and nothing (a sticky bar) covers its middle. */
async function expectOnScreen(page: Page, testId: string): Promise<void> {
  const box = await page.getByTestId(testId).boundingBox();
  const viewport = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
  const onTop = await page.evaluate(
    ({ id, x, y }) => document.querySelector(`[data-testid="${id}"]`)?.contains(document.elementFromPoint(x, y)) ?? false,
    { id: testId, x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 },
  );
  expect(onTop).toBe(true);
}

async function joinByLink(page: Page, code: string): Promise<void> {
  await page.getByTestId('room-link-input').fill(code);
  await page.getByTestId('room-link-join').click();
}

/** Two first-time visitors, one per node, through the rules (with these interests) and matched. */
async function matchedNewcomers(interests: string[] = []): Promise<[Page, Page]> {
  const pages = [await visit(0), await visit(1)];
  for (const page of pages) {
    await acceptRules(page);
    await addInterests(page, interests);
  }
  await pages[0]!.getByTestId('start').click();
  await waitForState(pages[0]!, 'searching');
  await pages[1]!.getByTestId('start').click();
  await Promise.all(pages.map((page) => waitForState(page, 'chatting')));
  return [pages[0]!, pages[1]!];
}

/**
 * The element's `dir` and computed direction. A list may render again while it
 * is read (a detached element computes no style): read until an element in the
 * page answers.
 */
async function directionOf(page: Page, selector: string): Promise<{ dir: string | null; direction: string }> {
  const node = page.locator(selector).first();
  const deadline = Date.now() + 10_000;
  for (;;) {
    await node.waitFor();
    const seen = await node.evaluate((n) => ({ dir: n.getAttribute('dir'), direction: n.isConnected ? getComputedStyle(n).direction : '' }));
    if (seen.direction !== '' || Date.now() > deadline) return seen;
  }
}

describe('an invite link opened on a first visit', () => {
  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    test(`leads into the room once the rules are accepted, keeps its address, and puts focus in the composer (${label})`, async () => {
      const host = await roomsVisitor(0, 'Hostess');
      const code = await createRoom(host, 'Origami corner', { visibility: 'private' });

      const visitor = await visit(1, `/r/${code}`, viewport);
      await acceptRules(visitor);
      await visitor.getByTestId('room-title').filter({ hasText: 'Origami corner' }).waitFor({ timeout: 15_000 });
      expect(new URL(visitor.url()).pathname).toBe(`/r/${code}`);
      expect(await visitor.getByTestId('rooms-error').isVisible()).toBe(false);
      await waitForFocus(visitor, 'room-input');
      await host.locator('[data-testid="room-member"]').nth(1).waitFor();
    });
  }
});

test('after the rules, focus is on the start screen’s Start button, not on the page', async () => {
  const page = await visit(0);
  await acceptRules(page);
  await waitForFocus(page, 'start');
  // The keyboard goes on from there, not from "Skip to content".
  await page.keyboard.press('Shift+Tab');
  expect(await focusedTestId(page)).toBe('languages-any');
});

describe('room errors and notices', () => {
  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    test(`are on screen and focused: a name taken, being removed while on the list, rejoining after it (${label})`, async () => {
      const host = await roomsVisitor(0, 'Sam');
      const code = await createRoom(host, `Clash ${label}`);

      // The name field and the link form are at the bottom of the list screen.
      const guest = await roomsVisitor(1, 'Sam', viewport);
      await joinByLink(guest, code);
      await guest.getByTestId('rooms-error').filter({ hasText: 'already uses that name' }).waitFor();
      await expectOnScreen(guest, 'rooms-error');
      await waitForFocus(guest, 'rooms-error');
      expect(await guest.getByTestId('rooms-error').getAttribute('role')).toBe('alert');

      await guest.getByTestId('room-name-input').fill('Kim');
      await joinByLink(guest, code);
      await guest.getByTestId('room-title').filter({ hasText: `Clash ${label}` }).waitFor();
      await guest.getByTestId('room-back').click();
      await guest.getByTestId('rooms-browse').waitFor();
      await guest.getByTestId('room-link-join').scrollIntoViewIfNeeded();

      const row = host.locator('[data-testid="room-member"][data-name="Kim"]');
      await row.getByTestId('room-kick').click();
      await host.getByTestId('room-confirm-ok').click();
      await guest.getByTestId('rooms-notice').filter({ hasText: 'removed you' }).waitFor();
      await expectOnScreen(guest, 'rooms-notice');
      await waitForFocus(guest, 'rooms-notice');
      expect(await guest.getByTestId('rooms-notice').getAttribute('role')).toBe('alert');

      await guest.getByTestId('room-link-join').scrollIntoViewIfNeeded();
      await joinByLink(guest, code);
      await guest.getByTestId('rooms-error').filter({ hasText: 'removed' }).waitFor();
      await expectOnScreen(guest, 'rooms-error');
      await waitForFocus(guest, 'rooms-error');
    });
  }
});

test('right-to-left text runs right to left: chat, room and direct messages, names, titles, topics and interests', async () => {
  const host = await roomsVisitor(0, 'سامي');
  const code = await createRoom(host, 'ركن الأوريغامي', { topic: 'فن' });
  const guest = await roomsVisitor(1, 'Lena');
  await joinByLink(guest, code);
  await guest.getByTestId('room-title').filter({ hasText: 'ركن الأوريغامي' }).waitFor();
  await sayInRoom(host, ARABIC);
  const roomBubble = '[data-testid="room-message"] .bubble-text';
  await guest.locator(roomBubble).filter({ hasText: ARABIC }).waitFor();
  expect(await directionOf(guest, roomBubble)).toEqual({ dir: 'auto', direction: 'rtl' });
  expect(await directionOf(guest, '[data-testid="room-message"] .msg-name')).toEqual({ dir: 'auto', direction: 'rtl' });
  expect(await directionOf(guest, '[data-testid="room-title"]')).toEqual({ dir: 'auto', direction: 'rtl' });
  expect(await directionOf(guest, '[data-testid="room-member"][data-name="سامي"] .member-name')).toEqual({ dir: 'auto', direction: 'rtl' });
  expect(await directionOf(guest, '[data-testid="room-sub"] [dir="auto"]')).toEqual({ dir: 'auto', direction: 'rtl' });
  // A name inside a sentence keeps its own direction: "سامي is typing…".
  await host.getByTestId('room-input').pressSequentially('مر');
  await guest.locator('[data-testid="room-typing"] bdi[dir="auto"]').filter({ hasText: 'سامي' }).waitFor();
  expect(await guest.locator('[data-testid="room-typing"] .room-typing-text').textContent()).toBe('سامي is typing…');
  await guest.getByTestId('room-back').click();
  expect(await directionOf(guest, '[data-testid="my-room"] .room-item-title')).toEqual({ dir: 'auto', direction: 'rtl' });

  const [a, b] = await matchedNewcomers(['موسيقى']);
  // Shared interests are quoted in their own direction, in the header and the chat's first line.
  expect(await directionOf(a, '[data-testid="chat-sub"] bdi')).toEqual({ dir: 'auto', direction: 'rtl' });
  expect(await a.getByTestId('chat-sub').textContent()).toBe('Also likes موسيقى');
  expect(await directionOf(b, '[data-testid="common-interests"] .system-detail bdi')).toEqual({ dir: 'auto', direction: 'rtl' });
  const input = a.getByTestId('message-input');
  await input.fill(ARABIC);
  expect(await directionOf(a, '[data-testid="message-input"]')).toEqual({ dir: 'auto', direction: 'rtl' });
  await input.press('Enter');
  const chatBubble = '.msg-partner .bubble-text';
  await b.locator(chatBubble).filter({ hasText: ARABIC }).waitFor();
  expect(await directionOf(b, chatBubble)).toEqual({ dir: 'auto', direction: 'rtl' });

  // Interests chips, on the start screen of a third visitor.
  const c = await visit(0);
  await acceptRules(c);
  await c.getByTestId('interests-input').fill('موسيقى');
  await c.getByTestId('interests-input').press('Enter');
  expect(await directionOf(c, '[data-testid="interest-chip"] .chip-text')).toEqual({ dir: 'auto', direction: 'rtl' });
});

test('direct messages and contact names run right to left; nicknames and composers count before anything is cut', async () => {
  const [a, b] = await matchedNewcomers();
  await keptInTouch(a, b);
  // The DM composer has a counter like the chat's.
  const dmInput = a.getByTestId('dm-input');
  await dmInput.fill(ARABIC);
  expect(await a.getByTestId('dm-counter').textContent()).toBe(`${[...ARABIC].length} / 1,000`);
  await dmInput.press('Enter');
  const dmBubble = '[data-testid="dm-message"][data-from="contact"] .bubble-text';
  await b.locator(dmBubble).filter({ hasText: ARABIC }).waitFor();
  expect(await directionOf(b, dmBubble)).toEqual({ dir: 'auto', direction: 'rtl' });
  await dmInput.fill('x'.repeat(1001));
  await a.getByTestId('dm-counter').filter({ hasText: '1 over the 1,000 limit' }).waitFor();
  expect(await a.getByTestId('dm-send').isDisabled()).toBe(true);

  // Rename: 39 letters and an emoji are 40 characters, kept whole.
  await b.getByTestId('dm-options').click();
  await b.getByTestId('contact-rename').click();
  const rename = b.getByTestId('rename-input');
  const fits = `${'a'.repeat(39)}🦊`;
  await rename.fill(fits);
  expect(await b.getByTestId('rename-counter').textContent()).toBe('40 / 40');
  expect(await b.getByTestId('rename-save').isDisabled()).toBe(false);
  await b.getByTestId('rename-save').click();
  await b.getByTestId('rename-dialog').waitFor({ state: 'hidden' });
  await b.getByTestId('dm-title').filter({ hasText: fits }).waitFor();
  expect(await b.getByTestId('dm-title').textContent()).toBe(fits);

  // One more is refused with a word, not cut.
  await b.getByTestId('dm-options').click();
  await b.getByTestId('contact-rename').click();
  await rename.fill(`${'a'.repeat(40)}🦊`);
  expect(await b.getByTestId('rename-counter').textContent()).toBe('1 over the 40 limit');
  await b.getByTestId('rename-error').filter({ hasText: 'at most 40 characters' }).waitFor();
  expect(await b.getByTestId('rename-save').isDisabled()).toBe(true);
  expect(await rename.inputValue()).toBe(`${'a'.repeat(40)}🦊`);
  await b.getByTestId('rename-cancel').click();
  expect(await b.getByTestId('dm-title').textContent()).toBe(fits);

  // Arabic nickname: the title and the list row follow its direction.
  await b.getByTestId('dm-options').click();
  await b.getByTestId('contact-rename').click();
  await rename.fill('صديقي');
  await b.getByTestId('rename-save').click();
  await b.getByTestId('dm-title').filter({ hasText: 'صديقي' }).waitFor();
  expect(await directionOf(b, '[data-testid="dm-title"]')).toEqual({ dir: 'auto', direction: 'rtl' });
  expect(await directionOf(b, '[data-testid="contact-item"] .contact-name')).toEqual({ dir: 'auto', direction: 'rtl' });
});

test('the room composer has a character counter', async () => {
  const host = await roomsVisitor(0, 'Counter');
  await createRoom(host, 'Counting room');
  await host.getByTestId('room-input').fill('héllo 🦊');
  expect(await host.getByTestId('room-counter').textContent()).toBe('7 / 1,000');
  await host.getByTestId('room-input').fill('x'.repeat(1002));
  await host.getByTestId('room-counter').filter({ hasText: '2 over the 1,000 limit' }).waitFor();
  expect(await host.getByTestId('room-send').isDisabled()).toBe(true);
});
