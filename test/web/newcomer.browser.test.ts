/**
 * What a first-time visitor meets in Chromium, against two parley nodes: the
 * header's figures are right from the first paint and follow the visitor's
 * own state; interests survive reloads; the phone chat keeps Report and Block
 * in one menu and Leave and Next by the composer; Escape twice skips on a
 * desktop; a wait with only people one may not meet again is explained; the
 * start screen after Leave fits a phone. The nodes push presence only once a
 * minute here, so the figures cannot come from that push.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { addInterests, matchedPair, say, startStack, waitForState, type Stack } from './harness';

jest.setTimeout(60_000);

let stack: Stack;

beforeAll(async () => {
  // A search on one node counts a waiter on the other at its next pass: every second here.
  stack = await startStack(2, { MATCH_RESCAN_MS: '1000', MATCH_COOLDOWN_MS: '0' }, { presenceIntervalMs: 60_000 });
});

afterAll(async () => {
  await stack?.close();
});

const PHONES = {
  '390×844': { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  '360×740': { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;

/** The header's figures as shown: "2 online · 0 searching · 2 chatting". */
const figures = (page: Page) => page.getByTestId('online-count');

async function closeAll(...pages: Page[]): Promise<void> {
  await Promise.all(pages.map((p) => p.context().close()));
}

// First in the file: the figures count everyone still connected, so this test starts from nobody.
test('the header counts the visitor from the first paint and follows its own search and chat at once', async () => {
  const alice = await stack.open(stack.nodes[0]!);
  await figures(alice).filter({ hasText: '1 online · 0 searching · 0 chatting' }).waitFor();
  const bob = await stack.open(stack.nodes[1]!);
  await figures(bob).filter({ hasText: '2 online · 0 searching · 0 chatting' }).waitFor();

  await alice.getByTestId('start').click();
  await waitForState(alice, 'searching');
  await figures(alice).filter({ hasText: '2 online · 1 searching · 0 chatting' }).waitFor();
  await bob.getByTestId('start').click();
  await Promise.all([waitForState(alice, 'chatting'), waitForState(bob, 'chatting')]);
  for (const page of [alice, bob]) await figures(page).filter({ hasText: '2 online · 0 searching · 2 chatting' }).waitFor();

  await alice.getByTestId('leave').click();
  await waitForState(bob, 'partner-left');
  for (const page of [alice, bob]) await figures(page).filter({ hasText: '2 online · 0 searching · 0 chatting' }).waitFor();
  await closeAll(alice, bob);
});

test('interests are kept across reloads and after a resumed chat ends, and Clear forgets them', async () => {
  const alice = await stack.open(stack.nodes[0]!);
  await addInterests(alice, ['origami', 'jazz']);
  await alice.reload();
  await alice.getByTestId('interest-chip').filter({ hasText: 'jazz' }).waitFor();
  expect(await alice.getByTestId('interest-chip').allTextContents()).toEqual(['origami×', 'jazz×']);

  await alice.getByTestId('start').click();
  await waitForState(alice, 'searching');
  const bob = await stack.open(stack.nodes[1]!);
  await addInterests(bob, ['jazz']);
  await bob.getByTestId('start').click();
  await Promise.all([waitForState(alice, 'chatting'), waitForState(bob, 'chatting')]);
  await say(bob, 'before the reload');
  await alice.getByTestId('message').filter({ hasText: 'before the reload' }).waitFor();

  // The reload resumes the chat; when it ends, the next search still has the interests.
  await alice.reload();
  await alice.getByTestId('message').filter({ hasText: 'before the reload' }).waitFor();
  await waitForState(alice, 'chatting');
  await bob.getByTestId('leave').click();
  await waitForState(alice, 'partner-left');
  await alice.getByTestId('find-new').click();
  await waitForState(alice, 'searching');
  expect(await alice.getByTestId('search-chips').locator('li').allTextContents()).toEqual(['origami', 'jazz']);

  await alice.getByTestId('cancel').click();
  await waitForState(alice, 'idle');
  await alice.getByTestId('interests-clear').click();
  await alice.getByTestId('interest-chip').first().waitFor({ state: 'detached' });
  await alice.reload();
  await alice.getByTestId('start').filter({ hasText: 'Start chatting' }).waitFor();
  expect(await alice.getByTestId('interest-chip').count()).toBe(0);
  expect(await alice.getByTestId('interests-clear').isVisible()).toBe(false);
  await closeAll(alice, bob);
});

test('on a desktop, Escape once arms a skip and Escape again skips to someone new; the Next button shows the shortcut', async () => {
  const [alice, bob] = await matchedPair(stack);
  expect(await alice.getByTestId('next').getAttribute('title')).toContain('Esc twice');
  expect(await alice.getByTestId('next').locator('kbd').isVisible()).toBe(true);

  await alice.getByTestId('message-input').press('Escape');
  await alice.getByTestId('skip-hint').filter({ hasText: 'Press Esc again to skip' }).waitFor();
  expect(await alice.getByTestId('status').getAttribute('data-state')).toBe('chatting');
  await alice.getByTestId('message-input').press('Escape');
  await waitForState(alice, 'searching');
  await bob.getByTestId('partner-left').filter({ hasText: 'moved on to someone new' }).waitFor();
  await closeAll(alice, bob);
});

test('on a desktop, a single Escape does nothing once its moment has passed', async () => {
  const [alice, bob] = await matchedPair(stack);
  await alice.getByTestId('message-input').press('Escape');
  await alice.getByTestId('skip-hint').waitFor();
  await alice.getByTestId('skip-hint').waitFor({ state: 'hidden', timeout: 10_000 });
  await alice.getByTestId('message-input').press('Escape');
  await alice.getByTestId('skip-hint').waitFor();
  expect(await alice.getByTestId('status').getAttribute('data-state')).toBe('chatting');
  await closeAll(alice, bob);
});

for (const [size, phone] of Object.entries(PHONES)) {
  test(`on a phone (${size}) the chat bar holds who you talk to and one menu; Leave and Next sit by the composer`, async () => {
    const alice = await stack.open(stack.nodes[0]!, phone);
    const bob = await stack.open(stack.nodes[1]!, phone);
    const shared = ['films', 'music', 'hiking and long walks'];
    await addInterests(alice, shared);
    await alice.getByTestId('start').click();
    await waitForState(alice, 'searching');
    await addInterests(bob, shared);
    await bob.getByTestId('start').click();
    await Promise.all([waitForState(alice, 'chatting'), waitForState(bob, 'chatting')]);
    await say(bob, 'hi!');
    await alice.getByTestId('report').waitFor({ state: 'attached' });

    // The shared interests in full, not cut.
    const sub = alice.getByTestId('chat-sub');
    expect(await sub.textContent()).toBe('Also likes films, music and hiking and long walks');
    expect(await sub.evaluate((n) => n.scrollWidth <= n.clientWidth + 1)).toBe(true);

    // Report and Block are not in the bar: they wait behind the menu button.
    const bar = alice.locator('.chat-bar');
    for (const id of ['report', 'block', 'next', 'leave']) expect(await bar.getByTestId(id).isVisible()).toBe(false);
    const composer = alice.getByTestId('composer');
    for (const id of ['next', 'leave']) expect(await composer.getByTestId(id).isVisible()).toBe(true);
    const input = await alice.getByTestId('message-input').boundingBox();
    const next = await alice.getByTestId('next').boundingBox();
    expect(Math.abs(next!.y + next!.height / 2 - (input!.y + input!.height / 2))).toBeLessThan(input!.height);

    // The menu by keyboard: Enter opens it on its first item, arrows move, Escape closes it back to the button.
    const menuButton = alice.getByTestId('chat-menu-button');
    expect(await menuButton.getAttribute('aria-haspopup')).toBe('menu');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    await menuButton.focus();
    await alice.keyboard.press('Enter');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    const focused = () => alice.locator(':focus').getAttribute('data-testid');
    expect(await focused()).toBe('report');
    expect(await alice.getByRole('menuitem').allTextContents()).toEqual(['Report', 'Block']);
    await alice.keyboard.press('ArrowDown');
    expect(await focused()).toBe('block');
    await alice.keyboard.press('ArrowDown');
    expect(await focused()).toBe('report');
    await alice.keyboard.press('Escape');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    expect(await alice.getByTestId('chat-menu-list').isVisible()).toBe(false);
    expect(await focused()).toBe('chat-menu-button');
    // That Escape closed the menu; it did not arm a skip.
    expect(await alice.getByTestId('skip-hint').isVisible()).toBe(false);

    // Block from the menu still asks first; cancelling returns to the menu button.
    await menuButton.click();
    await alice.getByRole('menuitem', { name: 'Block' }).click();
    await alice.getByTestId('block-dialog').waitFor();
    await alice.getByTestId('block-cancel').click();
    expect(await focused()).toBe('chat-menu-button');

    await alice.getByTestId('next').click();
    await waitForState(alice, 'searching');
    await waitForState(bob, 'partner-left');
    await closeAll(alice, bob);
  });

  test(`on a phone (${size}) the start screen after Leave shows its heading and one box of what to do next`, async () => {
    const [alice, bob] = await matchedPair(stack, phone);
    await alice.getByTestId('keep-in-touch').click();
    await alice.locator('[data-testid="keep-bar"][data-state="offered"]').waitFor();
    await alice.getByTestId('leave').click();
    await waitForState(alice, 'idle');
    await alice.getByTestId('report-late').waitFor();
    await alice.getByTestId('keep-bar-late').waitFor();

    // The heading is in view, below the tabs, and nothing covers it.
    const title = alice.locator('#start-title');
    const tabs = await alice.locator('.tabs').boundingBox();
    const box = await title.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(tabs!.y + tabs!.height);
    const onTop = await title.evaluate((node) => {
      const r = node.getBoundingClientRect();
      return node.contains(node.ownerDocument.elementFromPoint(r.left + 20, r.top + r.height / 2));
    });
    expect(onTop).toBe(true);

    // One box: the notice, Report and Keep in touch are its rows, not three cards.
    const after = alice.getByTestId('after-chat');
    for (const id of ['start-notice', 'report-late', 'keep-bar-late']) expect(await after.getByTestId(id).isVisible()).toBe(true);
    const rows = await Promise.all(['start-notice', 'report-late', 'keep-bar-late'].map((id) => alice.getByTestId(id).boundingBox()));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.y).toBeGreaterThanOrEqual(rows[i - 1]!.y + rows[i - 1]!.height - 1);
    // And the whole card fits the width: nothing runs off the side.
    expect(await alice.locator('html').evaluate((html) => html.scrollWidth <= html.clientWidth)).toBe(true);
    await closeAll(alice, bob);
  });
}

test('two people who just chatted and both search again are told why no one is found, and pointed to rooms', async () => {
  const [alice, bob] = await matchedPair(stack);
  await bob.getByTestId('leave').click();
  await waitForState(alice, 'partner-left');
  await alice.getByTestId('find-new').click();
  await waitForState(alice, 'searching');
  await bob.getByTestId('start').click();
  await waitForState(bob, 'searching');

  for (const page of [alice, bob]) {
    await page
      .getByTestId('search-kept-apart')
      .filter({ hasText: 'The only other person searching right now is someone you can’t be matched with again yet' })
      .waitFor({ timeout: 15_000 });
  }
  expect(await bob.getByTestId('search-fallback').isVisible()).toBe(false);
  await bob.getByTestId('search-try-rooms').click();
  await bob.getByTestId('rooms-browse').waitFor();
  // The search goes on meanwhile.
  expect(await bob.getByTestId('status').getAttribute('data-state')).toBe('searching');
  await closeAll(alice, bob);
});
