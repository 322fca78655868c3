/**
 * axe-core on every screen and dialog of the web client and the operator
 * console, against two parley nodes sharing one Redis and one PostgreSQL, with
 * the rules gate on: each screen is set up once and scanned at desktop and
 * phone sizes, light and dark (./axe-scan), and any WCAG 2.1 A or AA violation
 * fails the test that found it, listed one per element.
 *
 * The screens, in the order a visit meets them: the rules dialog, the start
 * screen, the search; a chat with messages, its menu, the block and report
 * dialogs, keep in touch, the report's confirmation and the ended chat; the
 * contacts (one with an unread message) and a conversation; the rooms list, a room with people, a pin and
 * reactions, the reaction picker and the phone's people drawer; the console's
 * sign-in, queue, rooms, bans and audit, its ban confirmation, and the banned
 * screen of the person it banned.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { expectNoViolations, scan } from './axe-scan';
import { acceptRules, createRoom, keptInTouch, offerToKeepInTouch, openRooms, say, sayInRoom, sendReport, startStack, userIdOf, waitForState, type Stack } from './harness';

jest.setTimeout(240_000);

const ADMIN_TOKEN = 'browser-tests-operator-token-0123456789abcdef';
/** Scanned in the settled look: with motion reduced nothing is half faded in when axe measures colours. */
const LOOK: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' };

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  stack = await startStack(2, {
    DATABASE_URL: postgres.url,
    ADMIN_TOKEN,
    RULES_GATE: 'on',
    ROOM_MESSAGE_RATE_LIMIT: '1000',
    DM_RATE_LIMIT: '1000',
  });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

/** Someone new on `stack.nodes[nodeIndex]`, past the rules. */
async function visitor(nodeIndex: number): Promise<Page> {
  const page = await stack.open(stack.nodes[nodeIndex]!, LOOK);
  await acceptRules(page);
  return page;
}

/** A stranger on each node, chatting with the other. */
async function chatting(): Promise<[Page, Page]> {
  const a = await visitor(0);
  const b = await visitor(1);
  await a.getByTestId('start').click();
  await waitForState(a, 'searching');
  await b.getByTestId('start').click();
  await Promise.all([waitForState(a, 'chatting'), waitForState(b, 'chatting')]);
  return [a, b];
}

/** The person the console bans at the end (reported in the chat test). */
let reported: Page | undefined;

test('the rules dialog, the start screen and the search have no WCAG 2.1 AA violations', async () => {
  const page = await stack.open(stack.nodes[0]!, LOOK);
  await page.getByTestId('rules-dialog').waitFor({ state: 'visible' });
  await page.getByTestId('rules-text').getByText('How to behave').waitFor();
  const found = await scan(page, 'rules dialog');
  await page.setViewportSize(LOOK.viewport!);
  await acceptRules(page);
  found.push(...(await scan(page, 'start')));
  await page.setViewportSize(LOOK.viewport!);
  await page.getByTestId('start').click();
  await waitForState(page, 'searching');
  found.push(...(await scan(page, 'search')));
  await page.getByTestId('cancel').click();
  await waitForState(page, 'idle');
  expectNoViolations(found);
});

test('a chat with messages, its menu, block and report dialogs, contacts, a conversation and the ended chat have none', async () => {
  const [a, b] = await chatting();
  await say(a, 'hi! how is your day going?');
  await b.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: 'how is your day' }).waitFor();
  await say(b, 'pretty good, and yours?');
  await a.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: 'and yours' }).waitFor();
  const found = await scan(a, 'chat');

  // On a phone, Report and Block are in the chat's menu (the page is left at phone size by the scan).
  await a.getByTestId('chat-menu-button').click();
  await a.getByTestId('chat-menu-list').waitFor();
  found.push(...(await scan(a, 'chat menu', ['phone'])));
  await a.keyboard.press('Escape');
  await a.setViewportSize(LOOK.viewport!);
  await a.getByTestId('block').click();
  await a.getByTestId('block-dialog').waitFor();
  found.push(...(await scan(a, 'block dialog')));
  await a.setViewportSize(LOOK.viewport!);
  await a.getByTestId('block-cancel').click();
  await a.getByTestId('block-dialog').waitFor({ state: 'hidden' });

  // Keep in touch, then the contacts and a conversation with messages on both sides.
  await offerToKeepInTouch(a, b);
  found.push(...(await scan(b, 'chat with a keep-in-touch offer', ['desktop'])));
  await b.setViewportSize(LOOK.viewport!);
  await keptInTouch(a, b, { offered: true });
  for (const page of [a, b]) await page.locator('[data-testid="dm-start"], [data-testid="dm-load-older"]').first().waitFor();
  for (const [page, text] of [[a, 'still there?'], [b, 'yes, here']] as const) {
    await page.getByTestId('dm-input').fill(text);
    await page.getByTestId('dm-input').press('Enter');
    await page.locator('[data-testid="dm-message"][data-from="me"][data-id]').filter({ hasText: text }).waitFor();
  }
  await a.locator('[data-testid="dm-message"][data-from="contact"]').filter({ hasText: 'yes, here' }).waitFor();
  found.push(...(await scan(a, 'conversation')));
  await a.setViewportSize(LOOK.viewport!);
  await a.getByTestId('dm-options').click();
  found.push(...(await scan(a, 'conversation options', ['desktop'])));
  await a.getByTestId('dm-options').click();
  await a.getByTestId('identity-settings').locator('summary').click();
  found.push(...(await scan(a, 'contacts with identity settings', ['desktop'])));
  await a.getByTestId('identity-settings').locator('summary').click();
  // On a phone, back from the conversation to the list, where a new message shows as unread.
  await a.setViewportSize({ width: 360, height: 740 });
  await a.getByTestId('dm-back').click();
  await a.locator('[data-testid="contacts"][data-view="list"]').waitFor();
  await b.getByTestId('dm-input').fill('one more thing');
  await b.getByTestId('dm-input').press('Enter');
  await a.getByTestId('contact-unread').waitFor();
  found.push(...(await scan(a, 'contacts with an unread message', ['phone'])));
  await a.setViewportSize(LOOK.viewport!);

  // Back to the chat: the report dialog, its confirmation, then the chat's end on both sides.
  await a.getByTestId('tab-chat').click();
  await b.getByTestId('tab-chat').click();
  await a.getByTestId('report').click();
  await a.getByTestId('report-dialog').waitFor();
  await a.getByTestId('report-submit').click();
  await a.getByTestId('report-error').waitFor();
  found.push(...(await scan(a, 'report dialog')));
  await a.setViewportSize(LOOK.viewport!);
  await a.getByTestId('report-reason-harassment').check();
  await a.getByTestId('report-note').fill('Kept asking where I live.');
  await sendReport(a);
  found.push(...(await scan(a, 'report sent')));
  await a.getByTestId('report-done-close').click();
  await a.getByTestId('start-notice').waitFor();
  found.push(...(await scan(a, 'start after a report', ['desktop'])));
  await b.getByTestId('partner-left').waitFor();
  found.push(...(await scan(b, 'chat ended')));
  reported = b;
  expectNoViolations(found);
});

test('the rooms list, a room with people, a pin and reactions, the picker and the people drawer have none', async () => {
  const host = await visitor(0);
  await openRooms(host);
  await host.getByTestId('room-name-input').fill('Hosty');
  await createRoom(host, 'Night owls', { topic: 'sleep' });
  const guest = await visitor(1);
  await openRooms(guest);
  await guest.getByTestId('room-name-input').fill('Owl');
  await guest.getByTestId('rooms-list').getByText('Night owls').waitFor();
  const found = await scan(guest, 'rooms list');
  await guest.setViewportSize(LOOK.viewport!);
  await guest.getByTestId('room-item').filter({ hasText: 'Night owls' }).getByTestId('room-item-join').click();
  await guest.getByTestId('room-view').waitFor();
  await sayInRoom(host, 'Welcome, read the rules first');
  await sayInRoom(guest, 'hello night owls');
  const message = (page: Page, text: string) => page.getByTestId('room-message').filter({ hasText: text });
  await message(host, 'hello night owls').waitFor();
  await message(host, 'Welcome').getByTestId('room-pin').click();
  await message(host, 'Welcome').locator('[data-testid="room-pin-for"][data-duration="3600000"]').click();
  await guest.getByTestId('room-pins').getByTestId('room-pin-item').waitFor();
  await message(guest, 'Welcome').getByTestId('room-react').click();
  await message(guest, 'Welcome').locator('[data-testid="room-emoji"][data-emoji="👍"]').click();
  await host.locator('[data-testid="room-reaction"][data-emoji="👍"]').filter({ hasText: '1' }).waitFor();
  found.push(...(await scan(host, 'room (host)')));
  found.push(...(await scan(guest, 'room')));
  await guest.setViewportSize(LOOK.viewport!);
  await message(guest, 'hello night owls').getByTestId('room-react').click();
  found.push(...(await scan(guest, 'reaction picker', ['desktop'])));
  await guest.keyboard.press('Escape');
  await guest.setViewportSize({ width: 360, height: 740 });
  await guest.getByTestId('room-members-toggle').click();
  await guest.locator('[data-testid="room-view"][data-drawer="open"]').waitFor();
  found.push(...(await scan(guest, 'people drawer', ['phone'])));
  await host.setViewportSize(LOOK.viewport!);
  await host.getByTestId('room-settings-open').click();
  await host.getByTestId('room-settings-dialog').waitFor();
  found.push(...(await scan(host, 'room settings dialog')));
  expectNoViolations(found);
});

test('the operator console and the banned screen have none', async () => {
  if (!reported) throw new Error('the chat test reports the person banned here');
  const reportedId = await userIdOf(reported);
  const context = await stack.browser.newContext(LOOK);
  const admin = await context.newPage();
  await admin.goto(`${stack.nodes[0]!.url}/admin`);
  await admin.getByTestId('admin-token').waitFor();
  const found = await scan(admin, 'console sign-in');
  await admin.setViewportSize(LOOK.viewport!);
  await admin.getByTestId('admin-token').fill(ADMIN_TOKEN);
  await admin.getByTestId('admin-login-submit').click();
  const group = admin.locator(`[data-testid="admin-group"][data-target="${reportedId}"]`);
  await group.getByTestId('admin-report').first().getByTestId('admin-evidence-line').first().waitFor();
  found.push(...(await scan(admin, 'console queue')));
  await admin.setViewportSize(LOOK.viewport!);
  for (const tab of ['rooms', 'bans', 'audit'] as const) {
    await admin.getByTestId(`admin-tab-${tab}`).click();
    await admin.getByTestId(`admin-${tab}`).waitFor();
    found.push(...(await scan(admin, `console ${tab}`)));
    await admin.setViewportSize(LOOK.viewport!);
  }
  await admin.getByTestId('admin-tab-queue').click();
  const report = group.getByTestId('admin-report').first();
  await report.getByTestId('admin-ban-duration').selectOption({ label: '7 days' });
  await report.getByTestId('admin-ban').click();
  await admin.getByTestId('admin-confirm').waitFor();
  found.push(...(await scan(admin, 'console ban confirmation')));
  await admin.getByTestId('admin-confirm-ok').click();
  await admin.getByTestId('admin-notice').filter({ hasText: 'Banned' }).waitFor();
  await reported.getByTestId('banned').waitFor({ state: 'visible', timeout: 15_000 });
  await reported.getByTestId('banned-headline').filter({ hasText: /banned/ }).waitFor();
  found.push(...(await scan(reported, 'banned')));
  expectNoViolations(found);
});
