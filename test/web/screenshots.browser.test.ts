/**
 * Screenshots of the start, searching and chat screens, and of the rooms list
 * and a topic room, at desktop and phone widths, into artifacts/screenshots/
 * (gitignored). The chat and room screens, and the phone start screen after
 * Leave, are also copied to docs/ for the README.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { addInterests, createRoom, openRooms, say, sayInRoom, SCREENSHOTS_DIR, startStack, VIEWPORTS, waitForState, type Stack } from './harness';

// Each tour loads pages and waits for several screens; on a loaded 2-core machine that takes a while.
jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '..', '..');
const OUT = SCREENSHOTS_DIR;
const DOCS = path.join(ROOT, 'docs');

let stack: Stack;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  stack = await startStack(2);
});

afterAll(async () => {
  await stack?.close();
});

async function shoot(page: Page, name: string): Promise<string> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  expect(statSync(file).size).toBeGreaterThan(5_000);
  return file;
}

/** Start, searching and chat screens for one viewport (and colour scheme). */
async function tour(size: keyof typeof VIEWPORTS, colorScheme: 'light' | 'dark'): Promise<string> {
  // Reduced motion keeps every frame still, so the pictures do not catch an animation halfway.
  const options: BrowserContextOptions = { ...VIEWPORTS[size], colorScheme, reducedMotion: 'reduce' };
  const suffix = colorScheme === 'dark' ? `${size}-dark` : size;
  const [nodeA, nodeB] = stack.nodes;
  const me = await stack.open(nodeA!, options);
  const stranger = await stack.open(nodeB!, options);

  await addInterests(me, ['films', 'music', 'hiking']);
  await me.getByTestId('start').waitFor();
  await me.getByTestId('online-count').filter({ hasText: /\d online/ }).waitFor();
  await shoot(me, `start-${suffix}`);

  await me.getByTestId('start').click();
  await waitForState(me, 'searching');
  await me.getByTestId('search-chips').waitFor();
  await shoot(me, `searching-${suffix}`);

  await addInterests(stranger, ['films']);
  await stranger.getByTestId('start').click();
  await Promise.all([waitForState(me, 'chatting'), waitForState(stranger, 'chatting')]);

  const conversation: [Page, string][] = [
    [stranger, 'hey! seen anything good lately?'],
    [me, 'Just rewatched Spirited Away. Still perfect.'],
    [stranger, 'that one never gets old'],
    [stranger, 'I saw Past Lives last week and I keep thinking about the ending'],
    [me, 'It’s on my list! No spoilers please!'],
  ];
  for (const [who, text] of conversation) {
    await say(who, text);
    const other = who === me ? stranger : me;
    await other.locator('[data-testid="message"][data-from="partner"]').filter({ hasText: text }).waitFor();
  }
  await me.locator('[data-testid="message"][data-status="sent"]').last().waitFor();
  await stranger.getByTestId('message-input').pressSequentially('deal');
  await me.getByTestId('partner-typing').waitFor({ state: 'visible' });
  return shoot(me, `chat-${suffix}`);
}

/** The rooms list and a lively room (a reply, typing, three people) for one viewport and scheme. */
async function roomTour(size: keyof typeof VIEWPORTS, colorScheme: 'light' | 'dark'): Promise<string> {
  const options: BrowserContextOptions = { ...VIEWPORTS[size], colorScheme, reducedMotion: 'reduce' };
  const suffix = colorScheme === 'dark' ? `${size}-dark` : size;
  const [nodeA, nodeB] = stack.nodes;
  const people: Page[] = [];
  for (const [node, name] of [[nodeA!, 'Maya'], [nodeB!, 'Theo'], [nodeB!, 'Sam']] as const) {
    const page = await stack.open(node, options);
    await openRooms(page);
    await page.getByTestId('room-name-input').fill(`${name} ${suffix}`.slice(0, 24));
    people.push(page);
  }
  const [me, theo, sam] = people as [Page, Page, Page];
  const title = `Film club (${suffix})`;
  await createRoom(me, title, { topic: 'films' });
  for (const other of [theo, sam]) {
    const item = other.getByTestId('room-item').filter({ hasText: title });
    for (let i = 0; i < 20 && !(await item.count()); i++) {
      await other.getByTestId('rooms-refresh').click();
      await other.waitForTimeout(200);
    }
    await item.getByTestId('room-item-join').click();
    await other.getByTestId('room-title').filter({ hasText: title }).waitFor();
  }
  await me.getByTestId('room-member').nth(2).waitFor({ state: 'attached' });

  const conversation: [Page, string][] = [
    [me, 'Welcome! What did everyone watch this week?'],
    [theo, 'Finally saw Perfect Days. So calm.'],
    [sam, 'Anatomy of a Fall — the courtroom scenes are incredible'],
    [me, 'Both on my list now!'],
  ];
  for (const [who, text] of conversation) {
    await sayInRoom(who, text);
    await me.getByTestId('room-message').filter({ hasText: text }).waitFor();
  }
  await theo.getByTestId('room-message').filter({ hasText: 'Anatomy of a Fall' }).getByTestId('room-reply').click();
  await sayInRoom(theo, 'Agreed, that dog deserves an award');
  await me.getByTestId('room-quote').waitFor();
  await sam.getByTestId('room-input').pressSequentially('same');
  await me.getByTestId('room-typing').waitFor({ state: 'visible' });
  const room = await shoot(me, `room-${suffix}`);
  if (size === 'mobile') {
    await me.getByTestId('room-members-toggle').click();
    await me.getByTestId('room-members-panel').waitFor({ state: 'visible' });
    await shoot(me, `room-people-${suffix}`);
    await me.getByTestId('room-members-close').click();
  }
  await me.getByTestId('room-back').click();
  await me.getByTestId('my-room').waitFor();
  await shoot(me, `rooms-list-${suffix}`);
  return room;
}

test('room screens on a desktop (1280×800)', async () => {
  copyFileSync(await roomTour('desktop', 'light'), path.join(DOCS, 'screenshot-rooms-desktop.png'));
});

test('room screens on a phone (360×740), with the people drawer', async () => {
  copyFileSync(await roomTour('mobile', 'light'), path.join(DOCS, 'screenshot-rooms-mobile.png'));
});

test('room screens in the dark colour scheme on a phone', async () => {
  await roomTour('mobile', 'dark');
});

test('room screens in the dark colour scheme on a desktop', async () => {
  await roomTour('desktop', 'dark');
});

test('desktop screens (1280×800)', async () => {
  const chat = await tour('desktop', 'light');
  copyFileSync(chat, path.join(DOCS, 'screenshot-desktop.png'));
});

test('phone screens (360×740)', async () => {
  const chat = await tour('mobile', 'light');
  copyFileSync(chat, path.join(DOCS, 'screenshot-mobile.png'));
});

/** The start screen right after leaving a chat (Report and Keep in touch still offered), on a phone. */
async function afterLeaveTour(): Promise<string> {
  const options: BrowserContextOptions = {
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    colorScheme: 'light',
    reducedMotion: 'reduce',
  };
  const [nodeA, nodeB] = stack.nodes;
  const me = await stack.open(nodeA!, options);
  const stranger = await stack.open(nodeB!, options);
  await addInterests(me, ['films', 'music']);
  await me.getByTestId('start').click();
  await waitForState(me, 'searching');
  await addInterests(stranger, ['films']);
  await stranger.getByTestId('start').click();
  await Promise.all([waitForState(me, 'chatting'), waitForState(stranger, 'chatting')]);
  await say(stranger, 'hi!');
  await me.locator('[data-testid="message"][data-from="partner"]').waitFor();
  await me.getByTestId('keep-in-touch').click();
  await me.locator('[data-testid="keep-bar"][data-state="offered"]').waitFor();
  await me.getByTestId('leave').click();
  await waitForState(me, 'idle');
  await me.getByTestId('keep-bar-late').waitFor();
  await me.getByTestId('report-late').waitFor();
  await me.getByTestId('interests-input').blur();
  return shoot(me, 'start-after-leave-mobile');
}

test('phone start screen after Leave (390×844)', async () => {
  copyFileSync(await afterLeaveTour(), path.join(DOCS, 'screenshot-start-after-leave-mobile.png'));
});

test('dark colour scheme', async () => {
  await tour('desktop', 'dark');
  await tour('mobile', 'dark');
});
