/**
 * parley with the keyboard only, in Chromium against two nodes sharing Redis
 * and PostgreSQL, with the rules gate on: Tab, Shift+Tab, Enter, Space and
 * Escape through the rules, start, a chat (send, Next, Leave), its Block and
 * Report dialogs (focus stays inside, Escape closes, focus goes back), a direct
 * conversation and a room (create, join, send). Every focus stop must show its
 * focus with 3:1 contrast (./keyboard); the chat and conversation run in the
 * dark scheme, the room in the light one. New messages land in a polite live
 * region without moving the reader's focus. With reduced motion nothing
 * animates or transitions for longer than 0.01 s.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startStack, waitForState, type Stack } from './harness';
import { expectFocusOn, focusStop, tabTo, type FocusStop } from './keyboard';

jest.setTimeout(180_000);

const DARK: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' };
const LIGHT: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, colorScheme: 'light' };

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  stack = await startStack(2, { DATABASE_URL: postgres.url, RULES_GATE: 'on', ROOM_MESSAGE_RATE_LIMIT: '1000', DM_RATE_LIMIT: '1000' });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

/** A first visit answered with the keyboard: Escape does not pass the gate; Space ticks the age, Enter accepts. */
async function pastTheRules(nodeIndex: number, options: BrowserContextOptions): Promise<Page> {
  const page = await stack.open(stack.nodes[nodeIndex]!, options);
  await page.getByTestId('rules-dialog').waitFor({ state: 'visible' });
  await page.getByTestId('rules-text').getByText('How to behave').waitFor();
  await page.keyboard.press('Escape');
  expect(await page.getByTestId('rules-dialog').isVisible()).toBe(true);
  const stops = await tabTo(page, 'rules-age');
  expect(stops.every((s) => s.dialog === 'rules-dialog' || s.testid === null)).toBe(true);
  await page.keyboard.press('Space');
  await tabTo(page, 'rules-accept');
  await page.keyboard.press('Enter');
  await page.getByTestId('rules-dialog').waitFor({ state: 'hidden' });
  return page;
}

/** Types `text` into the focused message box and sends it with Enter. */
async function typeAndSend(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * Waits until `text` shows inside a polite live region of `page` (one that announces additions), and checks
 * that its arrival left the reader's focus where it was (`before`).
 */
async function expectAnnounced(page: Page, text: string, before: FocusStop): Promise<void> {
  const region = page.locator('[aria-live="polite"]').filter({ hasText: text });
  await region.first().waitFor();
  const relevant = await region.first().getAttribute('aria-relevant');
  expect(relevant === null || relevant.includes('additions')).toBe(true);
  expect(await region.first().getAttribute('aria-busy')).not.toBe('true');
  const after = await focusStop(page);
  expect(after.testid).toBe(before.testid);
}

/**
 * Opens the dialog behind the focused button with Enter; checks focus starts inside it (on `first`) and
 * stays inside it through a round of Tab presses; Escape closes it and focus is back on the button.
 */
async function dialogRoundTrip(page: Page, button: string, dialog: string, first: string): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByTestId(dialog).waitFor({ state: 'visible' });
  await expectFocusOn(page, first);
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    const stop = await focusStop(page);
    // A modal dialog keeps focus inside (the browser's own controls may take it between rounds: nothing focused).
    if (stop.testid !== null) expect(`${stop.testid} in ${stop.dialog}`).toBe(`${stop.testid} in ${dialog}`);
  }
  await page.keyboard.press('Escape');
  await page.getByTestId(dialog).waitFor({ state: 'hidden' });
  await expectFocusOn(page, button);
}

test('start, chat, the dialogs, Next, a conversation and Leave work with the keyboard alone, focus always visible', async () => {
  const a = await pastTheRules(0, DARK);
  await tabTo(a, 'start');
  await a.keyboard.press('Enter');
  await waitForState(a, 'searching');
  await expectFocusOn(a, 'cancel');

  const b = await pastTheRules(1, DARK);
  await tabTo(b, 'start');
  await b.keyboard.press('Enter');
  await Promise.all([waitForState(a, 'chatting'), waitForState(b, 'chatting')]);
  await expectFocusOn(a, 'message-input');
  await expectFocusOn(b, 'message-input');
  const bFocus = await focusStop(b);
  await typeAndSend(a, 'hello from the keyboard');
  await a.locator('[data-testid="message"][data-from="me"][data-status="sent"]').filter({ hasText: 'hello from the keyboard' }).waitFor();
  await expectAnnounced(b, 'hello from the keyboard', bFocus);

  // Next, reached backwards from the message box: a new search at once; the stranger is told.
  await tabTo(a, 'next', { back: true });
  await a.keyboard.press('Enter');
  await waitForState(a, 'searching');
  await b.getByTestId('partner-left').waitFor();

  // A third person meets the first; Block and Report open dialogs that keep focus and give it back.
  const c = await pastTheRules(0, DARK);
  await tabTo(c, 'start');
  await c.keyboard.press('Enter');
  await Promise.all([waitForState(a, 'chatting'), waitForState(c, 'chatting')]);
  await expectFocusOn(a, 'message-input');
  await tabTo(a, 'block', { back: true });
  await dialogRoundTrip(a, 'block', 'block-dialog', 'block-cancel');
  await tabTo(a, 'report', { back: true });
  await dialogRoundTrip(a, 'report', 'report-dialog', 'report-reason-harassment');

  // Keep in touch on both sides, then a direct conversation.
  await tabTo(a, 'keep-in-touch');
  await a.keyboard.press('Enter');
  await c.locator('[data-testid="keep-bar"][data-state="theirs"]').waitFor();
  await tabTo(c, 'keep-in-touch', { back: true });
  await c.keyboard.press('Enter');
  await a.locator('[data-testid="keep-bar"][data-state="connected"]').waitFor();
  for (const page of [a, c]) {
    await tabTo(page, 'tab-contacts', { back: true });
    await page.keyboard.press('Enter');
    await tabTo(page, 'contact-item');
    await page.keyboard.press('Enter');
    await page.getByTestId('dm-view').waitFor();
    await page.locator('[data-testid="dm-start"], [data-testid="dm-load-older"]').first().waitFor();
    await expectFocusOn(page, 'dm-input');
  }
  const cFocus = await focusStop(c);
  await typeAndSend(a, 'a direct hello');
  await a.locator('[data-testid="dm-message"][data-from="me"][data-id]').filter({ hasText: 'a direct hello' }).waitFor();
  await expectAnnounced(c, 'a direct hello', cFocus);

  // Back to the chat, and Leave: the start screen again; the stranger is told.
  await tabTo(a, 'tab-chat', { back: true });
  await a.keyboard.press('Enter');
  await tabTo(a, 'leave');
  await a.keyboard.press('Enter');
  await waitForState(a, 'idle');
  await waitForState(c, 'partner-left');
});

test('a room is created, joined and written in with the keyboard alone, and its messages are announced', async () => {
  const host = await pastTheRules(0, LIGHT);
  await tabTo(host, 'tab-rooms');
  await host.keyboard.press('Enter');
  await host.getByTestId('rooms-browse').waitFor();
  await tabTo(host, 'room-title-input');
  await host.keyboard.type('Keyboard room');
  await host.keyboard.press('Enter');
  await host.getByTestId('room-title').filter({ hasText: 'Keyboard room' }).waitFor();
  await expectFocusOn(host, 'room-input');

  const guest = await pastTheRules(1, LIGHT);
  await tabTo(guest, 'tab-rooms');
  await guest.keyboard.press('Enter');
  await guest.getByTestId('room-item').filter({ hasText: 'Keyboard room' }).waitFor();
  await tabTo(guest, 'room-item-join', { text: 'Keyboard room' });
  await guest.keyboard.press('Enter');
  await guest.getByTestId('room-title').filter({ hasText: 'Keyboard room' }).waitFor();
  await expectFocusOn(guest, 'room-input');

  const hostFocus = await focusStop(host);
  await typeAndSend(guest, 'typed without a mouse');
  await expectAnnounced(host, 'typed without a mouse', hostFocus);
  const guestFocus = await focusStop(guest);
  await typeAndSend(host, 'welcome, keyboard person');
  await expectAnnounced(guest, 'welcome, keyboard person', guestFocus);

  // Leave the room from its bar: back to the list.
  await tabTo(guest, 'room-leave', { back: true });
  await guest.keyboard.press('Enter');
  await guest.getByTestId('rooms-browse').waitFor();
});

/** Runs in the page: every element (and ::before/::after) that animates or transitions longer than 0.01 s. */
const MOVING = `(() => {
  const seconds = (list) => Math.max(...list.split(',').map((v) => (v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v))));
  const found = [];
  for (const node of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const s = getComputedStyle(node, pseudo);
      const animation = s.animationName !== 'none' ? seconds(s.animationDuration) : 0;
      const transition = s.transitionProperty !== 'none' ? seconds(s.transitionDuration) : 0;
      if (animation > 0.01 || transition > 0.01) {
        found.push((node.getAttribute('data-testid') ?? node.className ?? node.tagName) + (pseudo ?? '') + ' ' + Math.max(animation, transition) + 's');
      }
    }
  }
  return found;
})()`;

test('with reduced motion nothing on the search, chat or room screens animates or transitions longer than 0.01 s', async () => {
  const page = await pastTheRules(0, { ...LIGHT, reducedMotion: 'reduce' });
  await page.getByTestId('start').click();
  await waitForState(page, 'searching');
  expect(await page.evaluate(MOVING)).toEqual([]);
  // The same screen without the preference does move (the radar), so the check above sees motion.
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect((await page.evaluate(MOVING)) as string[]).not.toEqual([]);
  await page.emulateMedia({ reducedMotion: 'reduce' });

  const other = await pastTheRules(1, { ...LIGHT, reducedMotion: 'reduce' });
  await other.getByTestId('start').click();
  await Promise.all([waitForState(page, 'chatting'), waitForState(other, 'chatting')]);
  await other.getByTestId('message-input').fill('moving?');
  await other.getByTestId('message-input').press('Enter');
  await page.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: 'moving?' }).waitFor();
  // The stranger is typing: the dots would blink.
  await other.getByTestId('message-input').pressSequentially('still');
  await page.getByTestId('partner-typing').waitFor();
  expect(await page.evaluate(MOVING)).toEqual([]);

  await page.getByTestId('tab-rooms').click();
  await page.getByTestId('rooms-browse').waitFor();
  await page.getByTestId('room-title-input').fill('Still room');
  await page.getByTestId('room-create').click();
  await page.getByTestId('room-title').filter({ hasText: 'Still room' }).waitFor();
  await page.getByTestId('room-input').fill('no motion here');
  await page.getByTestId('room-input').press('Enter');
  await page.getByTestId('room-message').filter({ hasText: 'no motion here' }).waitFor();
  expect(await page.evaluate(MOVING)).toEqual([]);
});
