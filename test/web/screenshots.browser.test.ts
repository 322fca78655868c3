/**
 * Screenshots of the start, searching and chat screens at desktop and phone
 * widths, into artifacts/screenshots/ (gitignored). The chat screens are also
 * copied to docs/ for the README.
 */
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { addInterests, say, startStack, waitForState, type Stack } from './harness';

jest.setTimeout(40_000);

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'artifacts', 'screenshots');
const DOCS = path.join(ROOT, 'docs');

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  mobile: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;

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

test('desktop screens (1280×800)', async () => {
  const chat = await tour('desktop', 'light');
  copyFileSync(chat, path.join(DOCS, 'screenshot-desktop.png'));
});

test('phone screens (360×740)', async () => {
  const chat = await tour('mobile', 'light');
  copyFileSync(chat, path.join(DOCS, 'screenshot-mobile.png'));
});

test('dark colour scheme', async () => {
  await tour('desktop', 'dark');
  await tour('mobile', 'dark');
});
