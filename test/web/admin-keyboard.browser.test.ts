/**
 * The operator console (/admin) with the keyboard only, in Chromium against a
 * node with PostgreSQL, at desktop size (light) and at phone size (dark):
 * Tab, Shift+Tab, Enter, Space and Escape to sign in with the token, reach the
 * report queue, read a report's evidence and show its still frame, dismiss one
 * report, open another user's history and ban them (the confirmation keeps focus inside, Escape
 * closes it and focus goes back to Ban), lift that ban in Bans, remove a room
 * in Rooms, read the audit log and sign out. Every focus stop must show its
 * focus with 3:1 contrast (./keyboard), and focus is never lost when an
 * action re-renders a list.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import type { MatchedEvent } from '../../src/protocol';
import { connect, disconnectAll, next, request, type Client } from '../helpers/clients';
import { startStack, type Stack } from './harness';
import { expectFocusOn, expectVisibleFocus, focusStop, tabTo } from './keyboard';

jest.setTimeout(180_000);

const ADMIN_TOKEN = 'browser-tests-operator-token-0123456789abcdef';
/** A bound for a busy machine, not a speed. */
const WAIT = { timeout: 20_000 };

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, colorScheme: 'light' };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' };

let postgres: PostgresServer;
let stack: Stack;
let addresses = 10;

beforeAll(async () => {
  postgres = await startPostgres();
  stack = await startStack(1, { DATABASE_URL: postgres.url, ADMIN_TOKEN });
});

afterAll(async () => {
  disconnectAll();
  await stack?.close();
  await postgres?.stop();
});

/**
 * Two strangers from their own addresses chat; the first reports the second (with `frame`, if given). The
 * second is `again` when given (reported once more), else a new stranger.
 */
async function reportedChat(interest: string, text: string, { frame, again }: { frame?: string; again?: Client } = {}): Promise<{ reportId: string; targetId: string; reported: Client }> {
  const url = stack.nodes[0]!.url;
  const [reporter, reported] = await Promise.all([
    connect(url, { address: `127.0.0.${++addresses}` }),
    again ?? connect(url, { address: `127.0.0.${++addresses}` }),
  ]);
  const matched = next<MatchedEvent>(reported, 'matched');
  await request(reporter, 'find-match', { interests: [interest] });
  await request(reported, 'find-match', { interests: [interest] });
  await matched;
  const sent = await request(reported, 'send-message', { text });
  if (!sent.ok) throw new Error(sent.error.code);
  const ack = await request<{ reportId: string }>(reporter, 'report', {
    target: { kind: 'chat' },
    reason: 'harassment',
    note: `about “${text}”`,
    ...(frame ? { frame } : {}),
  });
  if (!ack.ok) throw new Error(ack.error.code);
  return { reportId: ack.reportId, targetId: reported.session.userId, reported };
}

/** Dismisses a report through the operator API (so its user has history in the queue). */
async function dismissByApi(reportId: string): Promise<void> {
  const res = await fetch(`${stack.nodes[0]!.url}/api/admin/reports/${reportId}/resolve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'dismiss' }),
  });
  expect(res.status).toBe(200);
}

/** A public room its host stays in. */
async function hostedRoom(title: string): Promise<string> {
  const host = await connect(stack.nodes[0]!.url, { address: `127.0.0.${++addresses}` });
  const ack = await request<{ room: { code: string } }>(host, 'room-create', { title, visibility: 'public' });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.room.code;
}

/** A small JPEG still frame, drawn in `page`. */
function drawFrame(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 120;
    const g = canvas.getContext('2d');
    g.fillStyle = '#2a6f97';
    g.fillRect(0, 0, 160, 120);
    return canvas.toDataURL('image/jpeg', 0.8);
  })()`) as Promise<string>;
}

/** Whether the focused element is inside one that matches `selector`. */
function focusedWithin(page: Page, selector: string): Promise<boolean> {
  return page.evaluate(`!!document.activeElement?.closest(${JSON.stringify(selector)})`) as Promise<boolean>;
}

/** Tabs (forwards) to the control `testid` that sits inside the element matching `selector`. */
async function tabToIn(page: Page, testid: string, selector: string): Promise<void> {
  for (let round = 0; round < 10; round++) {
    await tabTo(page, testid);
    if (await focusedWithin(page, selector)) return;
  }
  throw new Error(`${testid} inside ${selector} not reached`);
}

/** Focus is on a control (not lost to the page) and shows it. */
async function expectFocusKept(page: Page): Promise<void> {
  const stop = await focusStop(page);
  expect(stop.testid).not.toBeNull();
  expectVisibleFocus(stop);
}

/**
 * With the focused button, opens the console's confirmation: focus starts on Cancel and stays inside through
 * a round of Tab presses; Escape closes it, nothing is done and focus is back on the button.
 */
async function confirmRoundTrip(page: Page, button: string): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByTestId('admin-confirm').waitFor({ state: 'visible', ...WAIT });
  await expectFocusOn(page, 'admin-confirm-cancel');
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const stop = await focusStop(page);
    // The browser's own controls may take focus between rounds (nothing focused in the page).
    if (stop.testid !== null) expect(`${stop.testid} in ${stop.dialog}`).toBe(`${stop.testid} in admin-confirm`);
    if (stop.testid !== null) expectVisibleFocus(stop);
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('admin-confirm').waitFor({ state: 'hidden', ...WAIT });
  await expectFocusOn(page, button);
}

/** Opens the confirmation again from the focused button and goes ahead with its OK button. */
async function confirmWithKeyboard(page: Page, ok: string | RegExp): Promise<void> {
  await page.keyboard.press('Enter');
  await page.getByTestId('admin-confirm').waitFor({ state: 'visible', ...WAIT });
  await expectFocusOn(page, 'admin-confirm-cancel');
  const stops = await tabTo(page, 'admin-confirm-ok');
  expect(stops.every((s) => s.dialog === 'admin-confirm' || s.testid === null)).toBe(true);
  await page.getByTestId('admin-confirm-ok').filter({ hasText: ok }).waitFor(WAIT);
  await page.keyboard.press('Enter');
  await page.getByTestId('admin-confirm').waitFor({ state: 'hidden', ...WAIT });
}

/** Reaches a section's tab from anywhere on the page (backwards: the tabs are at the top) and opens it. */
async function openSection(page: Page, tab: 'queue' | 'rooms' | 'bans' | 'audit'): Promise<void> {
  await tabTo(page, `admin-tab-${tab}`, { back: true, max: 80 });
  await page.keyboard.press('Enter');
  await page.getByTestId(`admin-${tab}`).waitFor({ state: 'visible', ...WAIT });
  await page.locator(`[data-testid="admin-tab-${tab}"][aria-pressed="true"]`).waitFor(WAIT);
  await page.locator('body:not([aria-busy])').waitFor(WAIT);
  await expectFocusOn(page, `admin-tab-${tab}`);
}

for (const [size, options] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
  test(`at ${size} size an operator signs in, reviews, dismisses, bans, lifts and removes with the keyboard alone`, async () => {
    const context = await stack.browser.newContext(options);
    const page = await context.newPage();
    await page.goto(`${stack.nodes[0]!.url}/admin`);
    const frame = await drawFrame(page);
    const dismissed = await reportedChat(`kbd-dismiss-${size}`, `spam line ${size}`, { frame });
    // The user to be banned was reported before (dismissed): their group has a History.
    const earlier = await reportedChat(`kbd-earlier-${size}`, `earlier line ${size}`);
    await dismissByApi(earlier.reportId);
    const banned = await reportedChat(`kbd-ban-${size}`, `threat line ${size}`, { again: earlier.reported });
    const roomTitle = `Keyboard console room ${size}`;
    const roomCode = await hostedRoom(roomTitle);

    // Sign in: focus starts in the token field; a wrong token is asked for again, with focus back in the
    // field; Enter with the right one opens the queue and focus lands on its tab.
    await expectFocusOn(page, 'admin-token');
    await page.keyboard.type('not-the-token-but-long-enough-to-try-0000');
    await page.keyboard.press('Enter');
    await page.getByTestId('admin-login-error').filter({ hasText: 'wasn’t accepted' }).waitFor(WAIT);
    await expectFocusOn(page, 'admin-token');
    await expectFocusKept(page);
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    const first = page.locator(`[data-testid="admin-report"][data-report-id="${dismissed.reportId}"]`);
    const second = page.locator(`[data-testid="admin-report"][data-report-id="${banned.reportId}"]`);
    await first.waitFor(WAIT);
    await second.waitFor(WAIT);
    await expectFocusOn(page, 'admin-tab-queue');
    await expectFocusKept(page);

    // The first report's evidence is a stop of its own (it scrolls when long); its still frame is shown on request.
    await tabToIn(page, 'admin-evidence', `[data-report-id="${dismissed.reportId}"]`);
    expect((await focusStop(page)).text).toContain(`spam line ${size}`);
    await tabTo(page, 'admin-frame-show');
    expect(await focusedWithin(page, `[data-report-id="${dismissed.reportId}"]`)).toBe(true);
    await page.keyboard.press('Enter');
    await first.getByTestId('admin-frame-image').waitFor({ state: 'visible', ...WAIT });
    await expectFocusOn(page, 'admin-frame-show');
    await expectFocusKept(page);
    await page.getByTestId('admin-frame-show').filter({ hasText: 'Hide frame' }).waitFor(WAIT);

    // Dismiss it: the report leaves the queue and focus goes to the same control of the next report.
    await tabTo(page, 'admin-dismiss');
    expect(await focusedWithin(page, `[data-report-id="${dismissed.reportId}"]`)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('admin-notice').filter({ hasText: 'Dismissed the report' }).waitFor(WAIT);
    await first.waitFor({ state: 'detached', ...WAIT });
    await expectFocusOn(page, 'admin-dismiss');
    expect(await focusedWithin(page, `[data-report-id="${banned.reportId}"]`)).toBe(true);
    await expectFocusKept(page);

    // Their History opens with Enter and lists the earlier, dismissed report.
    const group = page.locator(`[data-testid="admin-group"][data-target="${banned.targetId}"]`);
    await tabTo(page, 'admin-history', { back: true });
    await page.keyboard.press('Enter');
    await group.locator('[data-testid="admin-history"][open]').getByText('dismissed').waitFor(WAIT);

    // Ban them for 30 days (the arrow key picks the length, Space ticks the address): the confirmation keeps
    // focus and Escape backs out.
    await tabToIn(page, 'admin-ban-duration', `[data-report-id="${banned.reportId}"]`);
    await page.keyboard.press('ArrowDown');
    expect(await second.getByTestId('admin-ban-duration').inputValue()).toBe('2');
    await tabTo(page, 'admin-ban-ip');
    await page.keyboard.press('Space');
    expect(await second.getByTestId('admin-ban-ip').isChecked()).toBe(true);
    await tabTo(page, 'admin-ban');
    await confirmRoundTrip(page, 'admin-ban');
    expect(await second.isVisible()).toBe(true);
    await confirmWithKeyboard(page, 'Ban for 30 days');
    await page.getByTestId('admin-notice').filter({ hasText: 'for 30 days' }).waitFor(WAIT);
    await second.waitFor({ state: 'detached', ...WAIT });
    await expectFocusKept(page);

    // Bans: the new ban is in force; lift it, and it is gone with focus still on a control.
    await openSection(page, 'bans');
    const ban = page.locator(`[data-testid="admin-ban-row"][data-subject="${banned.targetId}"]`);
    await ban.waitFor(WAIT);
    const banId = await ban.getAttribute('data-ban-id');
    await tabToIn(page, 'admin-lift', `[data-ban-id="${banId}"]`);
    await page.keyboard.press('Enter');
    await page.getByTestId('admin-notice').filter({ hasText: 'Lifted the ban' }).waitFor(WAIT);
    await page.locator(`[data-testid="admin-ban-row"][data-ban-id="${banId}"]`).waitFor({ state: 'detached', ...WAIT });
    await expectFocusKept(page);

    // Rooms: Remove asks first (Escape backs out, focus back on Remove); then the room is gone.
    await openSection(page, 'rooms');
    const room = page.locator(`[data-testid="admin-room-row"][data-code="${roomCode}"]`);
    await room.waitFor(WAIT);
    await tabToIn(page, 'admin-room-remove', `[data-code="${roomCode}"]`);
    await confirmRoundTrip(page, 'admin-room-remove');
    expect(await room.isVisible()).toBe(true);
    await confirmWithKeyboard(page, 'Remove room');
    await page.getByTestId('admin-notice').filter({ hasText: roomTitle }).waitFor(WAIT);
    await room.waitFor({ state: 'detached', ...WAIT });
    await expectFocusKept(page);

    // The audit log has every action taken here.
    await openSection(page, 'audit');
    const done: Array<[string, string]> = [
      ['report.view-frame', dismissed.reportId],
      ['report.dismiss', dismissed.reportId],
      ['report.ban', banned.reportId],
      ['ban.lift', banId!],
      ['room.remove', roomCode],
    ];
    for (const [action, id] of done) {
      await page.locator(`[data-testid="admin-audit-row"][data-action="${action}"]`).filter({ hasText: id }).waitFor(WAIT);
    }

    // Back to the queue, then Sign out: the token is asked for again, with focus in its field.
    await openSection(page, 'queue');
    await tabTo(page, 'admin-sign-out');
    await page.keyboard.press('Enter');
    await page.getByTestId('admin-login').waitFor({ state: 'visible', ...WAIT });
    await expectFocusOn(page, 'admin-token');
    await context.close();
  });
}
