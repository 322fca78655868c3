/**
 * What the browser tests stand on: the built web client, one throwaway Redis,
 * parley nodes sharing it (in this process), and a headless Chromium.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { eventually } from '../../testkit/eventually';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

const ROOT = path.join(__dirname, '..', '..');
const PUBLIC_DIR = path.join(ROOT, 'dist', 'public');

/** The screen sizes the browser tests take pictures at: a desktop window and a phone. */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  mobile: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;

/** Where screenshots are written (gitignored); some are copied to docs/. */
export const SCREENSHOTS_DIR = path.join(ROOT, 'artifacts', 'screenshots');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    return Math.max(newest, t);
  }, 0);
}

/** Builds dist/public when it is missing or older than the sources in web/ or the client SDK's it bundles. */
export function ensureWebBuild(): void {
  const index = path.join(PUBLIC_DIR, 'index.html');
  const sources = Math.max(newestMtime(path.join(ROOT, 'web')), newestMtime(path.join(ROOT, 'packages', 'client', 'src')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.js')], { cwd: ROOT, stdio: 'pipe' });
}

export interface Stack {
  redis: RedisServer;
  nodes: RunningNode[];
  browser: Browser;
  /** A fresh browser context (its own storage, so its own identity) with a page open on `node`. */
  open(node: RunningNode, options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Redis, `nodeCount` nodes sharing it, and Chromium. Close it in afterAll.
 * `presenceIntervalMs`: how often nodes push `online-count` (200 ms unless given); `chromiumArgs`: more
 * switches for Chromium (a fake camera and microphone, say).
 */
export async function startStack(
  nodeCount = 2,
  env: Record<string, string> = {},
  options: { presenceIntervalMs?: number; chromiumArgs?: string[] } = {},
): Promise<Stack> {
  ensureWebBuild();
  const redis = await startRedis();
  const contexts: BrowserContext[] = [];
  let nodes: RunningNode[] = [];
  let browser: Browser | undefined;
  try {
    nodes = await startCluster(nodeCount, {
      REDIS_URL: redis.url,
      REDIS_PREFIX: uniquePrefix(),
      SESSION_SECRET: 'browser-tests-secret-0123456789',
      ...env,
    }, options.presenceIntervalMs === undefined ? {} : { presenceIntervalMs: options.presenceIntervalMs });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])] });
  } catch (err) {
    await stopAll(nodes);
    await redis.stop();
    throw err;
  }
  const launched = browser;
  return {
    redis,
    nodes,
    browser: launched,
    async open(node, options = {}) {
      const context = await launched.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(node.url);
      // The page is mounted (its fields listen) once the status pill says how the connection is: before
      // that, typing into the static markup is lost as on any page still loading.
      await page.locator('[data-testid="status"][data-link]').waitFor({ state: 'attached' });
      return page;
    },
    async close() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await launched.close();
      await stopAll(nodes);
      await redis.stop();
    },
  };
}

/** Adds interests through the chips field, as a person would. */
export async function addInterests(page: Page, interests: string[]): Promise<void> {
  const input = page.getByTestId('interests-input');
  for (const interest of interests) {
    await input.fill(interest);
    await input.press('Enter');
  }
}

/** Sends a message with the Enter key. */
export async function say(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('message-input');
  await input.fill(text);
  await input.press('Enter');
}

/** Waits until `[data-testid=status]` carries `data-state="state"`. */
export async function waitForState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="status"][data-state="${state}"]`).waitFor();
}

/** Two open pages start searching one after the other and are matched with each other. */
export async function startChat(a: Page, b: Page): Promise<void> {
  await a.getByTestId('start').click();
  await waitForState(a, 'searching');
  await b.getByTestId('start').click();
  await Promise.all([waitForState(a, 'chatting'), waitForState(b, 'chatting')]);
}

/** Two people, one per node of the stack, matched with each other. */
export async function matchedPair(stack: Stack, options: BrowserContextOptions = {}): Promise<[Page, Page]> {
  const a = await stack.open(stack.nodes[0]!, options);
  const b = await stack.open(stack.nodes[1]!, options);
  await startChat(a, b);
  return [a, b];
}

/** The identity the page was given, once the server has sent it. */
export async function userIdOf(page: Page): Promise<string> {
  const node = page.locator('[data-testid="user-id"]:not(:empty)');
  await node.waitFor({ state: 'attached' });
  return (await node.textContent()) ?? '';
}

/** A fresh browser on `node` takes the identity of a recovery key, as a person would; the page reloads as that identity. */
export async function restoreIdentity(stack: Stack, node: RunningNode, key: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await stack.open(node, options);
  await page.getByTestId('tab-contacts').click();
  await page.getByTestId('contacts').waitFor();
  await page.getByTestId('identity-settings').locator('summary').click();
  await page.getByTestId('restore-open').click();
  await page.getByTestId('restore-input').fill(key);
  await page.getByTestId('restore-submit').click();
  await page.getByTestId('contacts-notice').filter({ hasText: 'Recovery key accepted' }).waitFor();
  return page;
}

/** Accepts the rules and age gate shown on a first visit when the rules gate is on. */
export async function acceptRules(page: Page): Promise<void> {
  const dialog = page.getByTestId('rules-dialog');
  await dialog.waitFor({ state: 'visible' });
  await page.getByTestId('rules-age').check();
  await page.getByTestId('rules-accept').click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Switches the page to the rooms side. */
export async function openRooms(page: Page): Promise<void> {
  const rooms = page.getByTestId('rooms-browse').or(page.getByTestId('room-view')).first();
  // A tap before the page's script is wired does nothing, as in a real browser: tap again until it shows.
  await eventually(
    async () => {
      await page.getByTestId('tab-rooms').click();
      await rooms.waitFor({ timeout: 2000 });
    },
    { timeoutMs: 30_000 },
  );
}

/** Creates a room from the rooms list screen and waits for its view; returns its code (from the URL). */
export async function createRoom(
  page: Page,
  title: string,
  options: { topic?: string; visibility?: 'public' | 'private' } = {},
): Promise<string> {
  await page.getByTestId('room-title-input').fill(title);
  if (options.topic) await page.getByTestId('room-topic-input').fill(options.topic);
  if (options.visibility === 'private') await page.getByTestId('room-private').check();
  await page.getByTestId('room-create').click();
  await page.getByTestId('room-title').filter({ hasText: title }).waitFor();
  await page.waitForURL(/\/r\/[A-Za-z0-9_-]+$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

/**
 * Sends the open report dialog and waits for its confirmation (titled `title`, when given).
 * An answer that did not come in time, or a server that asked to try again,
 * is tried again once, as a person would (a report sent twice is stored once);
 * any other error fails with the words the dialog shows.
 */
export async function sendReport(page: Page, title?: string): Promise<void> {
  const done = title === undefined ? page.getByTestId('report-done-title') : page.getByTestId('report-done-title').filter({ hasText: title });
  await clickUntil(page.getByTestId('report-submit'), done, page.getByTestId('report-error'), 'the report was not sent');
}

/** The page's words for an answer that did not come in time or a server that could not do it just then. */
const TRANSIENT = /didn’t answer in time|having trouble/;

/**
 * Clicks `button` and waits until `done` is there (visible, or only attached
 * with `state`) or `error` has new words. A timed-out or unavailable answer is
 * clicked again once, as a person would (the actions this is used for are safe
 * to repeat); any other error, or a second one, fails with the page's words
 * after `what`.
 */
export async function clickUntil(
  button: Locator,
  done: Locator,
  error: Locator,
  what: string,
  state: 'visible' | 'attached' = 'visible',
): Promise<void> {
  const isDone = async () => (state === 'attached' ? (await done.count()) > 0 : done.first().isVisible());
  for (let attempt = 0; ; attempt++) {
    // Words left from an earlier action are not this click's answer.
    const before = (await error.textContent({ timeout: 1000 }).catch(() => null)) ?? '';
    const fresh = before ? error.filter({ hasText: /./ }).filter({ hasNotText: before }) : error.filter({ hasText: /./ });
    await button.click();
    await eventually(async () => (await isDone()) || (await fresh.count()) > 0, { timeoutMs: 60_000, intervalMs: 100, what });
    if (await isDone()) return;
    const words = (await error.textContent()) ?? '';
    if (!TRANSIENT.test(words) || attempt > 0) throw new Error(`${what}: ${words}`);
  }
}

/** Sends a message to the open room with the Enter key. */
export async function sayInRoom(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('room-input');
  await input.fill(text);
  await input.press('Enter');
}

/** The texts of the open room's messages, top to bottom. */
export async function roomTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="room-message"] .bubble-text').allTextContents();
}

/** In a chat, the first offers to keep in touch and the second sees the offer. */
export async function offerToKeepInTouch(a: Page, b: Page): Promise<void> {
  await a.getByTestId('keep-in-touch').click();
  await b.locator('[data-testid="keep-bar"][data-state="theirs"]').waitFor();
}

/**
 * Two people in a chat keep in touch (the second accepts the offer, made here unless `offered`), then each
 * opens their conversation.
 */
export async function keptInTouch(a: Page, b: Page, { offered = false } = {}): Promise<void> {
  if (!offered) await offerToKeepInTouch(a, b);
  await b.getByTestId('keep-in-touch').click();
  await a.locator('[data-testid="keep-bar"][data-state="connected"]').waitFor();
  for (const page of [a, b]) {
    await page.getByTestId('tab-contacts').click();
    await page.getByTestId('contact-item').first().locator('button').click();
    await page.getByTestId('dm-view').waitFor();
  }
}
