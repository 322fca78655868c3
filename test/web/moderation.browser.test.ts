/**
 * Reporting and the operator console in Chromium, against two parley nodes
 * sharing one Redis and one PostgreSQL: two strangers chat, one reports the
 * other (reason and note) and sees the confirmation; an operator opens /admin,
 * gives the token, sees the report with the server's evidence and bans the
 * reported user, whose page shows the banned screen at once and again after a
 * reload (the handshake is refused). Also: a wrong token is asked again; a
 * still frame a reporter attached is shown on request, labelled as the
 * reporter's; and screenshots of the report dialog (phone) and the console
 * (laptop).
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import type { MatchedEvent } from '../../src/protocol';
import { connect, disconnectAll, next, request } from '../helpers/clients';
import { createRoom, matchedPair, openRooms, say, sayInRoom, sendReport, startStack, userIdOf, waitForState, type Stack } from './harness';

jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'artifacts', 'screenshots');
const ADMIN_TOKEN = 'browser-tests-operator-token-0123456789abcdef';

const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' };
const LAPTOP: BrowserContextOptions = { viewport: { width: 1366, height: 860 }, deviceScaleFactor: 1, reducedMotion: 'reduce' };

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  postgres = await startPostgres();
  stack = await startStack(2, { DATABASE_URL: postgres.url, ADMIN_TOKEN });
});

afterAll(async () => {
  disconnectAll();
  await stack?.close();
  await postgres?.stop();
});

async function shoot(page: Page, name: string): Promise<string> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  expect(statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

/** The operator console on `node`, signed in. */
async function openConsole(nodeIndex: number, token = ADMIN_TOKEN): Promise<Page> {
  const context = await stack.browser.newContext(LAPTOP);
  const page = await context.newPage();
  await page.goto(`${stack.nodes[nodeIndex]!.url}/admin`);
  await page.getByTestId('admin-token').fill(token);
  await page.getByTestId('admin-login-submit').click();
  return page;
}

test('a reported stranger is banned from the console and refused on the next connection', async () => {
  const [reporter, reported] = await matchedPair(stack, PHONE);
  const reportedId = await userIdOf(reported);
  await say(reported, 'send me your address or else');
  await reporter.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: 'or else' }).waitFor();
  await say(reporter, 'no, stop');
  await reported.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: 'no, stop' }).waitFor();

  // The dialog (on a phone, Report is in the chat's menu): a reason is needed; the note has a counter.
  await reporter.getByTestId('chat-menu-button').click();
  await reporter.getByTestId('report').click();
  const dialog = reporter.getByTestId('report-dialog');
  await dialog.waitFor({ state: 'visible' });
  await expect(reporter.getByTestId('report-title').textContent()).resolves.toBe('Report this stranger');
  await reporter.getByTestId('report-submit').click();
  await reporter.getByTestId('report-error').filter({ hasText: 'Pick what happened' }).waitFor();
  await reporter.getByTestId('report-reason-harassment').check();
  await reporter.getByTestId('report-note').fill('Threatened me when I would not share my address.');
  await reporter.getByTestId('report-note-counter').filter({ hasText: '48 / 500' }).waitFor();
  expect(await reporter.getByTestId('report-error').isVisible()).toBe(false);
  await reporter.getByTestId('report-title').scrollIntoViewIfNeeded();
  await shoot(reporter, 'report-dialog-mobile');
  await sendReport(reporter, 'Reported and blocked');
  expect(await reporter.getByTestId('report-done-text').textContent()).toContain('now blocked');
  const confirmation = await shoot(reporter, 'report-done-mobile');
  await reporter.getByTestId('report-done-close').click();
  await dialog.waitFor({ state: 'hidden' });
  // The chat is over for the reporter, who is told the stranger is blocked; Report is not offered twice.
  await reporter.getByTestId('start-notice').filter({ hasText: 'Reported and blocked' }).waitFor();
  expect(await reporter.getByTestId('report-late').isVisible()).toBe(false);
  await reported.getByTestId('partner-left').waitFor({ state: 'visible' });

  // The operator: a wrong token is asked again; the right one opens the queue.
  const console = await openConsole(0, 'not-the-token-but-long-enough-to-try-0000');
  await console.getByTestId('admin-login-error').filter({ hasText: 'wasn’t accepted' }).waitFor();
  await console.getByTestId('admin-token').fill(ADMIN_TOKEN);
  await console.getByTestId('admin-login-submit').click();
  const group = console.locator(`[data-testid="admin-group"][data-target="${reportedId}"]`);
  await group.waitFor();
  await group.getByTestId('admin-reporter-count').filter({ hasText: '1 reporter' }).waitFor();
  const report = group.getByTestId('admin-report').first();
  expect(await report.getByTestId('admin-report-reason').textContent()).toBe('Harassment');
  expect(await report.getByTestId('admin-report-note').textContent()).toContain('Threatened me');
  // The evidence is the server's own log of the chat, labelled from the operator's side.
  const lines = report.getByTestId('admin-evidence-line');
  await expect(lines.filter({ hasText: 'or else' }).getAttribute('data-author')).resolves.toBe('reported');
  await expect(lines.filter({ hasText: 'no, stop' }).getAttribute('data-author')).resolves.toBe('reporter');
  // The token survives a reload of the console (sessionStorage), not a new tab.
  await console.reload();
  await group.waitFor();
  await shoot(console, 'admin-console-desktop').then((file) => copyFileSync(file, path.join(ROOT, 'docs', 'screenshot-admin-desktop.png')));
  copyFileSync(confirmation, path.join(ROOT, 'docs', 'screenshot-report-done-mobile.png'));
  copyFileSync(path.join(OUT, 'report-dialog-mobile.png'), path.join(ROOT, 'docs', 'screenshot-report-mobile.png'));

  // Ban for 7 days: the reported user, connected to the other node, sees the banned screen.
  await report.getByTestId('admin-ban-duration').selectOption({ label: '7 days' });
  await report.getByTestId('admin-ban').click();
  await console.getByTestId('admin-confirm-ok').filter({ hasText: 'Ban for 7 days' }).click();
  await console.getByTestId('admin-notice').filter({ hasText: 'Banned' }).waitFor();
  await group.waitFor({ state: 'detached' });
  await reported.getByTestId('banned').waitFor({ state: 'visible', timeout: 15_000 });
  await reported.getByTestId('banned-headline').filter({ hasText: /banned from parley until/ }).waitFor();
  expect(await reported.locator('.app').isVisible()).toBe(false);

  // Its next connection is refused at the handshake: the same screen, and no reconnect loop.
  await reported.reload();
  await reported.getByTestId('banned').waitFor({ state: 'visible' });
  const until = Number(await reported.getByTestId('banned').getAttribute('data-until'));
  expect(until).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
  expect(until).toBeLessThan(Date.now() + 7.1 * 86_400_000);
  let handshakes = 0;
  reported.on('request', (r) => {
    if (r.url().includes('/socket.io/')) handshakes++;
  });
  await reported.waitForTimeout(4000);
  expect(handshakes).toBe(0);

  // The bans tab lists it, and the audit log has the action.
  await console.getByTestId('admin-tab-bans').click();
  await console.locator(`[data-testid="admin-ban-row"][data-subject="${reportedId}"]`).waitFor();
  await console.getByTestId('admin-tab-audit').click();
  await console.locator('[data-testid="admin-audit-row"][data-action="report.ban"]').waitFor();

  // Lifting the ban lets the user back in.
  await console.getByTestId('admin-tab-bans').click();
  await console.locator(`[data-testid="admin-ban-row"][data-subject="${reportedId}"]`).getByTestId('admin-lift').click();
  await console.locator(`[data-testid="admin-ban-row"][data-subject="${reportedId}"]`).waitFor({ state: 'detached' });
  // Every node reads the bans in force within a second: retry the reload until this one has.
  // The start button shows while the page still connects, so wait for the handshake's answer.
  const deadline = Date.now() + 20_000;
  for (;;) {
    await reported.reload();
    const shown = await Promise.race([
      reported.locator('[data-testid="status"][data-link="online"]').waitFor().then(() => 'online'),
      reported.getByTestId('banned').waitFor({ state: 'visible' }).then(() => 'banned'),
    ]);
    if (shown === 'online' || Date.now() > deadline) break;
    await reported.waitForTimeout(500);
  }
  await reported.getByTestId('start').filter({ hasText: 'Start chatting' }).waitFor();
  expect(await reported.getByTestId('banned').isVisible()).toBe(false);
});

test('a room message is reported from its Report button and the operator deletes it', async () => {
  const host = await stack.open(stack.nodes[0]!);
  const guest = await stack.open(stack.nodes[1]!);
  await openRooms(host);
  const code = await createRoom(host, 'Moderated room', { visibility: 'private' });
  await guest.goto(`${stack.nodes[1]!.url}/r/${code}`);
  await guest.getByTestId('room-title').filter({ hasText: 'Moderated room' }).waitFor();
  await sayInRoom(guest, 'buy followers cheap at example dot com');
  const spam = host.locator('[data-testid="room-message"][data-from="other"]').filter({ hasText: 'buy followers' });
  await spam.waitFor();
  expect(await host.locator('[data-testid="room-message"][data-from="me"] [data-testid="room-report"]').count()).toBe(0);
  await spam.getByTestId('room-report').click();
  await host.getByTestId('report-reason-spam').check();
  await sendReport(host, 'Report sent');
  await host.getByTestId('report-done-close').click();
  await spam.getByTestId('room-report').filter({ hasText: 'Reported' }).waitFor();
  expect(await spam.getByTestId('room-report').isDisabled()).toBe(true);

  const console = await openConsole(1);
  const report = console.locator('[data-testid="admin-report"]').filter({ hasText: `Room ${code}` });
  await report.waitFor();
  await report.locator('[data-testid="admin-evidence-line"][data-reported="true"]').filter({ hasText: 'buy followers' }).waitFor();
  await report.getByTestId('admin-delete-message').click();
  await console.getByTestId('admin-notice').filter({ hasText: 'Deleted message' }).waitFor();
  await spam.waitFor({ state: 'detached' });
  await console.locator('[data-testid="admin-report"]').filter({ hasText: `Room ${code}` }).getByTestId('admin-dismiss').click();
  await console.getByTestId('admin-notice').filter({ hasText: 'Dismissed' }).waitFor();
});

test("the console shows when a group's reporters share an address (one person's identities count once)", async () => {
  const host = await stack.open(stack.nodes[0]!);
  const target = await stack.open(stack.nodes[1]!);
  const second = await stack.open(stack.nodes[1]!);
  await openRooms(host);
  const code = await createRoom(host, 'Shared address room', { visibility: 'private' });
  for (const page of [target, second]) {
    await page.goto(`${stack.nodes[1]!.url}/r/${code}`);
    await page.getByTestId('room-title').filter({ hasText: 'Shared address room' }).waitFor();
  }
  await sayInRoom(target, 'a message two pages report');
  // Every page here comes from 127.0.0.1: two reporters, one address.
  for (const page of [host, second]) {
    const message = page.locator('[data-testid="room-message"][data-from="other"]').filter({ hasText: 'two pages report' });
    await message.getByTestId('room-report').click();
    await page.getByTestId('report-reason-harassment').check();
    await sendReport(page, 'Report sent');
  }
  const console = await openConsole(0);
  const group = console.locator(`[data-testid="admin-group"][data-target="${await userIdOf(target)}"]`);
  await group.getByTestId('admin-reporter-count').filter({ hasText: '2 reporters' }).waitFor();
  await group.getByTestId('admin-shared-address').filter({ hasText: 'Reporters share an address (1 address)' }).waitFor();
  await group.getByTestId('admin-independent').filter({ hasText: /^[01] independent$/ }).waitFor();
});

test("a reporter's still frame is shown on request in the console, labelled as supplied by the reporter", async () => {
  // A real JPEG, as a browser's canvas makes one from a video frame.
  const drawer = await stack.browser.newPage();
  const frame = await drawer.evaluate<string>(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const g = canvas.getContext('2d');
    g.fillStyle = '#2a6f97';
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#f4d35e';
    g.fillRect(100, 60, 120, 120);
    return canvas.toDataURL('image/jpeg', 0.8);
  })()`);
  await drawer.close();
  const [reporter, reported] = await Promise.all([connect(stack.nodes[0]!.url), connect(stack.nodes[1]!.url)]);
  const matched = next<MatchedEvent>(reported, 'matched');
  await request(reporter, 'find-match', { interests: ['report-frame-console'] });
  await request(reported, 'find-match', { interests: ['report-frame-console'] });
  await matched;
  const ack = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'chat' }, reason: 'sexual', frame });
  if (!ack.ok) throw new Error(ack.error.code);

  const console = await openConsole(1);
  const report = console.locator(`[data-testid="admin-report"][data-report-id="${ack.reportId}"]`);
  await report.waitFor();
  const box = report.getByTestId('admin-frame');
  expect(await box.getByTestId('admin-frame-label').textContent()).toContain('Supplied by the reporter — not verified by parley');
  // Not shown until asked for.
  expect(await box.getByTestId('admin-frame-image').isVisible()).toBe(false);
  await box.getByTestId('admin-frame-show').click();
  const image = box.getByTestId('admin-frame-image');
  await image.waitFor({ state: 'visible' });
  type Img = { decode(): Promise<void>; naturalWidth: number; naturalHeight: number };
  const size = await image.evaluate((img) => (img as unknown as Img).decode().then(() => [(img as unknown as Img).naturalWidth, (img as unknown as Img).naturalHeight]));
  expect(size).toEqual([320, 240]);
  await box.scrollIntoViewIfNeeded();
  await shoot(console, 'admin-report-frame-desktop');
  // The view is in the audit log.
  await console.getByTestId('admin-tab-audit').click();
  await console.locator('[data-testid="admin-audit-row"][data-action="report.view-frame"]').waitFor();
});
