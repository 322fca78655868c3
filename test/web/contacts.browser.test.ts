/**
 * Keep in touch, contacts and direct messages in Chromium against two parley
 * nodes sharing one Redis and one PostgreSQL: two strangers chat and keep in
 * touch; one goes away, the other writes; the first comes back on the other
 * node with its recovery key and reads it (unread badge, then "Seen" at the
 * sender). Also: rename, block with confirmation, appear offline, delete
 * identity, and screenshots of the contacts at phone and desktop sizes.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { matchedPair, restoreIdentity, say, startStack, userIdOf, waitForState, type Stack } from './harness';

jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'artifacts', 'screenshots');

let postgres: PostgresServer;
let stack: Stack;

beforeAll(async () => {
  postgres = await startPostgres();
  // A short resume grace, so going away shows in presence within the test.
  stack = await startStack(2, { DATABASE_URL: postgres.url, RESUME_GRACE_MS: '1500', DM_RATE_LIMIT: '1000' });
});

afterAll(async () => {
  await stack?.close();
  await postgres?.stop();
});

/** Both ask to keep in touch, the second by accepting the offer shown to it. */
async function keepInTouch(a: Page, b: Page): Promise<void> {
  await a.getByTestId('keep-in-touch').click();
  await a.locator('[data-testid="keep-bar"][data-state="offered"]').waitFor();
  await b.locator('[data-testid="keep-bar"][data-state="theirs"]').waitFor();
  expect(await b.getByTestId('keep-in-touch').textContent()).toBe('Accept');
  await b.getByTestId('keep-in-touch').click();
  await Promise.all([
    a.locator('[data-testid="keep-bar"][data-state="connected"]').waitFor(),
    b.locator('[data-testid="keep-bar"][data-state="connected"]').waitFor(),
  ]);
}

async function openContacts(page: Page): Promise<void> {
  await page.getByTestId('tab-contacts').click();
  await page.getByTestId('contacts').waitFor();
}

/** Waits until the page's identity is `id` (or, with `other`, anything but `id`). */
async function waitForUserId(page: Page, id: string, other = false): Promise<void> {
  const node = page.locator('[data-testid="user-id"]:not(:empty)');
  const exact = new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await (other ? node.filter({ hasNotText: exact }) : node.filter({ hasText: exact })).waitFor({ state: 'attached', timeout: 15_000 });
}

/** Back to the list on a phone, where the conversation covers it. */
async function backToList(page: Page): Promise<void> {
  const back = page.getByTestId('dm-back');
  if (await back.isVisible()) await back.click();
}

const contactItem = (page: Page) => page.getByTestId('contact-item').first();

/** Opens the first contact's conversation and waits for its messages to be read in. */
async function openConversation(page: Page): Promise<void> {
  await contactItem(page).locator('button').click();
  await page.getByTestId('dm-view').waitFor();
  await page.locator('[data-testid="dm-start"], [data-testid="dm-load-older"]').first().waitFor();
}

async function sendDm(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('dm-input');
  await input.fill(text);
  await input.press('Enter');
  // Acked: the message is in the log with its server id.
  await page.locator('[data-testid="dm-message"][data-from="me"][data-id]').filter({ hasText: text }).waitFor();
}

/** The recovery key, as the person would read it off the dialog. */
async function recoveryKey(page: Page): Promise<string> {
  await openContacts(page);
  await page.getByTestId('key-prompt-open').click();
  const key = (await page.getByTestId('recovery-key').inputValue()).trim();
  await page.getByTestId('recovery-qr').locator('svg').waitFor();
  await page.getByTestId('recovery-done').click();
  return key;
}

/** A fresh browser on `node` takes the identity of `key`. */
const restoreOn = (nodeIndex: number, key: string, options: BrowserContextOptions = {}): Promise<Page> =>
  restoreIdentity(stack, stack.nodes[nodeIndex]!, key, options);

test('two strangers keep in touch; a message written while one is away is read on the other node, with "Seen" at the sender', async () => {
  const [alice, bob] = await matchedPair(stack);
  await say(alice, 'nice talking to you');
  await bob.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: 'nice talking' }).waitFor();
  await keepInTouch(alice, bob);

  await openContacts(alice);
  await alice.locator('[data-testid="contact-item"][data-online="true"]').waitFor();
  const key = await recoveryKey(bob);
  expect(key).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

  // Bob goes away (his browser closes); after the resume grace Alice sees him offline.
  await bob.context().close();
  await alice.locator('[data-testid="contact-item"][data-online="false"]').waitFor();

  await openConversation(alice);
  await sendDm(alice, 'are you still around?');
  expect(await alice.getByTestId('dm-seen').count()).toBe(0);

  // Bob comes back in another browser, on the other node, with his recovery key.
  const bobAgain = await restoreOn(0, key);
  await bobAgain.locator('[data-testid="contact-item"][data-unread="1"]').waitFor();
  await bobAgain.getByTestId('tab-contacts-unread').filter({ hasText: '1' }).waitFor();
  expect(await contactItem(bobAgain).getByTestId('contact-preview').textContent()).toBe('are you still around?');
  await alice.locator('[data-testid="dm-view"][data-online="true"]').waitFor();

  await openConversation(bobAgain);
  await bobAgain.locator('[data-testid="dm-message"][data-from="contact"]').filter({ hasText: 'are you still around?' }).waitFor();
  await bobAgain.locator('[data-testid="contact-item"][data-unread="0"]').waitFor();
  await bobAgain.getByTestId('tab-contacts-unread').waitFor({ state: 'hidden' });

  // The read receipt reaches Alice on the other node.
  await alice.locator('[data-testid="dm-message"][data-from="me"]').filter({ hasText: 'are you still around?' })
    .getByTestId('dm-seen').waitFor();

  // Typing and a live answer.
  await bobAgain.getByTestId('dm-input').pressSequentially('yes');
  await alice.getByTestId('dm-typing').waitFor({ state: 'visible' });
  await bobAgain.getByTestId('dm-input').press('Enter');
  await alice.locator('[data-testid="dm-message"][data-from="contact"]').filter({ hasText: 'yes' }).waitFor();
  await alice.getByTestId('dm-typing').waitFor({ state: 'hidden' });
});

test('a recovery key the server does not know changes nothing', async () => {
  const page = await stack.open(stack.nodes[0]!);
  await openContacts(page);
  const before = await userIdOf(page);
  await page.getByTestId('identity-settings').locator('summary').click();
  await page.getByTestId('restore-open').click();
  await page.getByTestId('restore-input').fill('not a key');
  await page.getByTestId('restore-submit').click();
  await page.getByTestId('restore-error').filter({ hasText: 'doesn’t look like' }).waitFor();
  await page.getByTestId('restore-input').fill('someone.forged-signature');
  await page.getByTestId('restore-submit').click();
  await page.getByTestId('identity-error').filter({ hasText: 'wasn’t recognised' }).waitFor();
  await waitForUserId(page, before);
});

test('rename, appear offline, block after confirming, and delete the identity', async () => {
  const [carol, dave] = await matchedPair(stack);
  await keepInTouch(carol, dave);
  await openContacts(carol);
  await openContacts(dave);
  await dave.locator('[data-testid="contact-item"][data-online="true"]').waitFor();

  // A private nickname.
  await openConversation(carol);
  await carol.getByTestId('dm-options').click();
  await carol.getByTestId('contact-rename').click();
  await carol.getByTestId('rename-input').fill('Dave the chess fan');
  await carol.getByTestId('rename-save').click();
  await carol.getByTestId('dm-title').filter({ hasText: 'Dave the chess fan' }).waitFor();
  await contactItem(carol).filter({ hasText: 'Dave the chess fan' }).waitFor();

  // Appearing offline hides Carol from Dave.
  await backToList(carol);
  await carol.getByTestId('identity-settings').locator('summary').click();
  await carol.getByTestId('appear-offline').check();
  await dave.locator('[data-testid="contact-item"][data-online="false"]').waitFor();
  await carol.getByTestId('appear-offline').uncheck();
  await dave.locator('[data-testid="contact-item"][data-online="true"]').waitFor();

  // Block asks first; cancelling keeps the contact.
  await openConversation(dave);
  await dave.getByTestId('dm-options').click();
  await dave.getByTestId('contact-block').click();
  await dave.getByTestId('contact-confirm').waitFor({ state: 'visible' });
  await dave.getByTestId('contact-confirm-cancel').click();
  expect(await dave.getByTestId('contact-item').count()).toBe(1);
  await dave.getByTestId('dm-options').click();
  await dave.getByTestId('contact-block').click();
  await dave.getByTestId('contact-confirm-ok').click();
  await dave.getByTestId('contacts-notice').filter({ hasText: 'Blocked' }).waitFor();
  await carol.getByTestId('contact-item').waitFor({ state: 'detached' });
  await carol.getByTestId('contacts-notice').filter({ hasText: 'no longer in your contacts' }).waitFor();

  // Deleting the identity starts afresh as someone new.
  const before = await userIdOf(carol);
  await carol.getByTestId('delete-identity').click();
  await carol.getByTestId('contact-confirm').filter({ hasText: 'Delete your identity?' }).waitFor();
  await carol.getByTestId('contact-confirm-ok').click();
  await waitForUserId(carol, before, true);
  await openContacts(carol);
  await carol.getByTestId('contacts-empty').waitFor();
});

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  mobile: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;

async function shoot(page: Page, name: string): Promise<string> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  expect(statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

/** The offer in a chat, the contacts list and a conversation, for one viewport. */
async function contactsTour(size: keyof typeof VIEWPORTS): Promise<{ list: string; conversation: string }> {
  const options: BrowserContextOptions = { ...VIEWPORTS[size], reducedMotion: 'reduce' };
  const [me, them] = await matchedPair(stack, options);
  await say(them, 'that was the best film chat I’ve had in ages');
  await me.locator('[data-testid="message"][data-from="partner"]').waitFor();
  await say(me, 'Same! Want to keep in touch?');
  await them.getByTestId('keep-in-touch').click();
  await me.locator('[data-testid="keep-bar"][data-state="theirs"]').waitFor();
  await shoot(me, `contacts-offer-${size}`);
  await me.getByTestId('keep-in-touch').click();
  await me.locator('[data-testid="keep-bar"][data-state="connected"]').waitFor();

  await openContacts(them);
  await openConversation(them);
  for (const text of ['hey, it’s me from the film chat', 'Did you ever watch Past Lives in the end?']) await sendDm(them, text);
  await openContacts(me);
  await me.locator('[data-testid="contact-item"][data-unread="2"]').waitFor();
  const list = await shoot(me, `contacts-list-${size}`);
  await openConversation(me);
  await sendDm(me, 'Yes! Last night. That ending…');
  await them.getByTestId('dm-seen').waitFor();
  await them.getByTestId('dm-input').pressSequentially('right?');
  await me.getByTestId('dm-typing').waitFor({ state: 'visible' });
  const conversation = await shoot(me, `contacts-dm-${size}`);
  await them.getByTestId('dm-input').fill('');
  await backToList(me);
  await me.getByTestId('key-prompt-open').click();
  await shoot(me, `contacts-key-${size}`);
  return { list, conversation };
}

test('contacts screens on a phone (360×740) and a desktop (1280×800)', async () => {
  mkdirSync(OUT, { recursive: true });
  const desktop = await contactsTour('desktop');
  copyFileSync(desktop.conversation, path.join(ROOT, 'docs', 'screenshot-contacts-desktop.png'));
  const mobile = await contactsTour('mobile');
  copyFileSync(mobile.list, path.join(ROOT, 'docs', 'screenshot-contacts-mobile.png'));
  copyFileSync(mobile.conversation, path.join(ROOT, 'docs', 'screenshot-contacts-dm-mobile.png'));
});
