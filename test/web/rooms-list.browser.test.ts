/**
 * The public room list and the operator's rooms, in Chromium against two
 * nodes sharing Redis and PostgreSQL: rooms with people come first and the
 * empty ones fold under "Quiet rooms"; a second public room with an active
 * room's title is a choice (join it, or create anyway); a room is reported as
 * a whole; the console lists rooms with their reports and removes one after a
 * confirmation; a ban needs a confirmation that says who and for how long; on
 * a phone the console's tables stack so every column stays on screen.
 * Screenshots of the phone room list and the phone console go to docs/.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { eventually } from '../../testkit/eventually';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { createRoom, openRooms, sayInRoom, sendReport, startStack, type Stack } from './harness';

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'artifacts', 'screenshots');
const ADMIN_TOKEN = 'browser-tests-operator-token-0123456789abcdef';
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' };
const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' };

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  postgres = await startPostgres();
  stack = await startStack(2, { DATABASE_URL: postgres.url, ADMIN_TOKEN, ROOMS: 'lobby,knitting' });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

async function shoot(page: Page, name: string, docsName?: string): Promise<void> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  expect(statSync(file).size).toBeGreaterThan(5_000);
  if (docsName) copyFileSync(file, path.join(ROOT, 'docs', docsName));
}

/** A person on the rooms side of node `i`. */
async function person(i: number, options: BrowserContextOptions = LAPTOP): Promise<Page> {
  const page = await stack.open(stack.nodes[i]!, options);
  await openRooms(page);
  return page;
}

/**
 * Clicks Refresh until the public list shows a room titled `title`, with `also` in its line when given (the list
 * is read every 10 s otherwise).
 */
async function listed(page: Page, title: string, also?: string): Promise<void> {
  const titled = page.getByTestId('room-item').filter({ hasText: title });
  const item = also === undefined ? titled : titled.filter({ hasText: also });
  await eventually(
    async () => {
      if ((await item.count()) > 0) return true;
      await page.getByTestId('rooms-refresh').click();
      return false;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `"${title}"${also === undefined ? '' : ` with "${also}"`} in the rooms list` },
  );
}

async function openConsole(options: BrowserContextOptions = LAPTOP): Promise<Page> {
  const page = await (await stack.browser.newContext(options)).newPage();
  await page.goto(`${stack.nodes[1]!.url}/admin`);
  await page.getByTestId('admin-token').fill(ADMIN_TOKEN);
  await page.getByTestId('admin-login-submit').click();
  await page.getByTestId('admin-queue').waitFor({ state: 'visible' });
  return page;
}

async function publicTitles(): Promise<string[]> {
  const res = await fetch(`${stack.nodes[0]!.url}/api/rooms`);
  return ((await res.json()) as { rooms: { title: string }[] }).rooms.map((r) => r.title);
}

test('rooms with people come first, busiest first; empty rooms fold under "Quiet rooms"', async () => {
  const [ann, bob, cleo] = await Promise.all([person(0), person(1), person(0)]);
  await createRoom(ann, 'Origami corner');
  await createRoom(bob, 'Chess club');
  await listed(cleo, 'Chess club');
  await cleo.getByTestId('room-item').filter({ hasText: 'Chess club' }).getByTestId('room-item-join').click();
  await cleo.getByTestId('room-title').filter({ hasText: 'Chess club' }).waitFor();
  await cleo.getByTestId('room-back').click();

  const guest = await person(1, PHONE);
  // The list read may be from a moment before Cleo's join (or Ann's) was counted: refresh until it has them.
  await listed(guest, 'Chess club', '2 people');
  await listed(guest, 'Origami corner', '1 person');
  const active = guest.getByTestId('rooms-list').getByTestId('room-item');
  const titles = await active.locator('.room-item-title').allTextContents();
  expect(titles.indexOf('Chess club')).toBeLessThan(titles.indexOf('Origami corner'));
  expect(titles).not.toContain('lobby');
  await active.filter({ hasText: 'Chess club' }).filter({ hasText: '2 people' }).filter({ hasText: /active/ }).waitFor();
  // The empty rooms of ROOMS are folded away, and counted.
  const quiet = guest.getByTestId('quiet-rooms');
  await guest.getByTestId('quiet-rooms-summary').filter({ hasText: 'Quiet rooms (2)' }).waitFor();
  const lobby = guest.getByTestId('quiet-rooms-list').getByTestId('room-item').filter({ hasText: 'lobby' });
  expect(await lobby.isVisible()).toBe(false);
  await shoot(guest, 'rooms-list-quiet-closed-mobile', 'screenshot-rooms-list-mobile.png');
  await guest.getByTestId('quiet-rooms-summary').click();
  expect(await quiet.getAttribute('open')).not.toBeNull();
  await lobby.waitFor({ state: 'visible' });
  await lobby.getByTestId('room-item-join').click();
  await guest.getByTestId('room-title').filter({ hasText: 'lobby' }).waitFor();
});

test('a second public room with an active room’s title asks first: join it, create anyway, or cancel', async () => {
  const host = await person(0);
  await createRoom(host, 'Sourdough club');
  const baker = await person(1);
  // Only an active room (one with people) is asked about: refresh until the list counts the host.
  await listed(baker, 'Sourdough club', '1 person');

  const ask = async (people: string) => {
    await baker.getByTestId('room-title-input').fill('  sourdough CLUB ');
    await baker.getByTestId('room-create').click();
    await baker.getByTestId('room-duplicate').waitFor({ state: 'visible' });
    expect(await baker.getByTestId('room-duplicate-title').textContent()).toBe(`A room called “Sourdough club” is active (${people}) — join it instead?`);
  };

  await ask('1 person');
  await baker.getByTestId('room-duplicate-cancel').click();
  await baker.getByTestId('room-duplicate').waitFor({ state: 'hidden' });
  expect(await baker.getByTestId('rooms-browse').isVisible()).toBe(true);

  await ask('1 person');
  await baker.getByTestId('room-duplicate-join').click();
  await baker.getByTestId('room-title').filter({ hasText: 'Sourdough club' }).waitFor();
  await host.getByTestId('room-member').nth(1).waitFor();
  expect((await publicTitles()).filter((t) => t.toLowerCase().includes('sourdough'))).toHaveLength(1);

  await baker.getByTestId('room-back').click();
  await listed(baker, 'Sourdough club', '2 people');
  await ask('2 people');
  await baker.getByTestId('room-duplicate-create').click();
  await baker.getByTestId('room-title').filter({ hasText: 'sourdough CLUB' }).waitFor();
  expect((await publicTitles()).filter((t) => t.toLowerCase().includes('sourdough'))).toHaveLength(2);

  // A private room, or a title no active room has, is created without a question.
  await baker.getByTestId('room-back').click();
  await createRoom(baker, 'Sourdough club', { visibility: 'private' });
  expect(await baker.getByTestId('room-duplicate').isVisible()).toBe(false);
});

test('a room is reported as a whole; the console lists it with its report and removes it after a confirmation', async () => {
  const host = await person(0);
  await createRoom(host, 'Free followers here');
  await sayInRoom(host, 'dm me for cheap followers');
  const visitor = await person(1);
  await listed(visitor, 'Free followers here');
  await visitor.getByTestId('room-item').filter({ hasText: 'Free followers here' }).getByTestId('room-item-join').click();
  await visitor.getByTestId('room-title').filter({ hasText: 'Free followers here' }).waitFor();
  await visitor.getByTestId('room-report-room').click();
  await visitor.getByTestId('report-title').filter({ hasText: 'Report the room “Free followers here”' }).waitFor();
  await visitor.getByTestId('report-reason-spam').check();
  await sendReport(visitor, 'Report sent');
  await visitor.getByTestId('report-done-close').click();
  await visitor.getByTestId('room-report-room').filter({ hasText: 'Room reported' }).waitFor();
  expect(await visitor.getByTestId('room-report-room').isDisabled()).toBe(true);

  const console = await openConsole();
  // The queue shows it as a reported room: no ban, a Remove room instead.
  const group = console.locator('[data-testid="admin-group"][data-target^="room:"]').filter({ hasText: 'Reported room' });
  await group.getByTestId('admin-report').filter({ hasText: 'as a whole' }).waitFor();
  expect(await group.getByTestId('admin-ban').count()).toBe(0);
  await group.getByTestId('admin-remove-room').waitFor();

  await console.getByTestId('admin-tab-rooms').click();
  const row = console.getByTestId('admin-room-row').filter({ hasText: 'Free followers here' });
  await row.waitFor();
  expect(await row.getByTestId('admin-room-reports').textContent()).toBe('1');
  // Reported rooms are listed first.
  expect(await console.getByTestId('admin-room-row').first().textContent()).toContain('Free followers here');
  await console.getByTestId('admin-rooms-summary').filter({ hasText: '1 with open reports' }).waitFor();

  // Cancel keeps the room.
  await row.getByTestId('admin-room-remove').click();
  await console.getByTestId('admin-confirm').waitFor({ state: 'visible' });
  expect(await console.getByTestId('admin-confirm-title').textContent()).toBe('Remove the room “Free followers here”?');
  expect(await console.getByTestId('admin-confirm-text').textContent()).toContain('The 2 people in it are told');
  await console.getByTestId('admin-confirm-cancel').click();
  await console.getByTestId('admin-confirm').waitFor({ state: 'hidden' });
  expect(await row.isVisible()).toBe(true);
  expect(await host.getByTestId('room-view').isVisible()).toBe(true);

  await row.getByTestId('admin-room-remove').click();
  await console.getByTestId('admin-confirm-ok').filter({ hasText: 'Remove room' }).click();
  await console.getByTestId('admin-notice').filter({ hasText: 'Removed the room “Free followers here”' }).waitFor();
  await row.waitFor({ state: 'detached' });
  for (const member of [host, visitor]) {
    await member.getByTestId('rooms-notice').filter({ hasText: '“Free followers here” is no longer available.' }).waitFor();
  }
  expect(await publicTitles()).not.toContain('Free followers here');
  await console.getByTestId('admin-tab-audit').click();
  await console.locator('[data-testid="admin-audit-row"][data-action="room.remove"]').filter({ hasText: 'Free followers here' }).waitFor();
});

test('a ban asks first, saying who and for how long; on a phone the bans and rooms tables keep every column on screen', async () => {
  const host = await person(0);
  await createRoom(host, 'Ban test room', { visibility: 'private' });
  const code = new URL(host.url()).pathname.split('/').pop()!;
  const rude = await stack.open(stack.nodes[1]!, LAPTOP);
  await rude.goto(`${stack.nodes[1]!.url}/r/${code}`);
  await rude.getByTestId('room-title').filter({ hasText: 'Ban test room' }).waitFor();
  await sayInRoom(rude, 'you are all idiots');
  const rudeMessage = host.locator('[data-testid="room-message"][data-from="other"]').filter({ hasText: 'idiots' });
  await rudeMessage.getByTestId('room-report').click();
  await host.getByTestId('report-reason-harassment').check();
  await sendReport(host);
  await host.getByTestId('report-done-close').click();

  const console = await openConsole();
  const report = console.getByTestId('admin-report').filter({ hasText: `Room ${code}` });
  await report.waitFor();
  const target = (await report.locator('xpath=ancestor::*[@data-testid="admin-group"]').getAttribute('data-target'))!;
  await report.getByTestId('admin-ban').click();
  const dialog = console.getByTestId('admin-confirm');
  await dialog.waitFor({ state: 'visible' });
  // 7 days is preselected: the question names the user and the length, and the button says it again.
  expect(await console.getByTestId('admin-confirm-title').textContent()).toBe(`Ban user ${target.slice(0, 12)}… for 7 days?`);
  expect(await console.getByTestId('admin-confirm-text').textContent()).toMatch(/^They are disconnected now and refused until .+\. Their other open reports are closed\.$/);
  expect(await console.getByTestId('admin-confirm-ok').textContent()).toBe('Ban for 7 days');
  await console.getByTestId('admin-confirm-cancel').click();
  await dialog.waitFor({ state: 'hidden' });
  await console.getByTestId('admin-tab-bans').click();
  await console.getByTestId('admin-bans-summary').filter({ hasText: /^0 bans in force/ }).waitFor();
  expect(await rude.getByTestId('banned').isVisible()).toBe(false);

  await console.getByTestId('admin-tab-queue').click();
  // The queue is read again on the way back: choose once it is shown afresh.
  await console.locator('body:not([aria-busy])').waitFor({ state: 'attached' });
  await report.getByTestId('admin-ban-duration').selectOption({ label: '30 days' });
  await report.getByTestId('admin-ban').click();
  expect(await console.getByTestId('admin-confirm-title').textContent()).toBe(`Ban user ${target.slice(0, 12)}… for 30 days?`);
  await console.getByTestId('admin-confirm-ok').click();
  await console.getByTestId('admin-notice').filter({ hasText: 'Banned' }).waitFor();
  await rude.getByTestId('banned').waitFor({ state: 'visible', timeout: 15_000 });

  // The console on a phone (390×844): the bans table stacks into cards; Ends and Lift stay on screen.
  const phone = await openConsole(PHONE);
  await phone.getByTestId('admin-tab-bans').click();
  const ban = phone.locator(`[data-testid="admin-ban-row"][data-subject="${target}"]`);
  await ban.waitFor();
  const width = PHONE.viewport!.width;
  const ends = ban.locator('td[data-label="Ends"]');
  const lift = ban.getByTestId('admin-lift');
  for (const part of [ends, lift]) {
    await part.scrollIntoViewIfNeeded();
    const box = (await part.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(await part.isVisible()).toBe(true);
  }
  expect(await ends.textContent()).toMatch(/^Until /);
  expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
  await ban.scrollIntoViewIfNeeded();
  await shoot(phone, 'admin-bans-mobile', 'screenshot-admin-bans-mobile.png');

  await phone.getByTestId('admin-tab-rooms').click();
  const roomRow = phone.getByTestId('admin-room-row').first();
  await roomRow.waitFor();
  const remove = roomRow.getByTestId('admin-room-remove');
  const box = (await remove.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
  await shoot(phone, 'admin-rooms-mobile', 'screenshot-admin-rooms-mobile.png');
});
