/**
 * The page as an installable app, in Chromium: the installability check
 * passes, the service worker is active and keeps only the shell (never an API
 * answer, Socket.IO traffic, a message or a token), a reload without a
 * network shows the shell with "You are offline", and the page connects by
 * itself once the network is back.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { eventually } from '../../testkit/eventually';
import { CHROMIUM_PATH, SCREENSHOTS_DIR, say, startChat, startStack, userIdOf, waitForState, type Stack } from './harness';

jest.setTimeout(120_000);

// The page's globals used inside evaluate (this project compiles without the DOM library).
interface PageCache {
  keys(): Promise<{ url: string }[]>;
  match(request: { url: string }): Promise<{ text(): Promise<string> } | undefined>;
}
declare const caches: { keys(): Promise<string[]>; open(name: string): Promise<PageCache> };
declare const navigator: { serviceWorker: { controller: { state: string } | null } };
declare const localStorage: Record<string, string>;
declare const document: { documentElement: { dataset: Record<string, string | undefined> }; getElementById(id: string): { inert: boolean } | null };
declare const window: { parley?: unknown };

const PUBLIC_DIR = path.join(__dirname, '..', '..', 'dist', 'public');
const LIVE = /^\/(api|socket\.io|admin|health|stats|metrics|rules)(\/|$|\?|\.|-)/;

let stack: Stack;
let profileDir: string;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;

/** The URLs the build lists for the service worker (written into sw.js). */
function shellFiles(): string[] {
  const sw = readFileSync(path.join(PUBLIC_DIR, 'sw.js'), 'utf8');
  return JSON.parse(/files:(\[[^\]]*\])/.exec(sw)![1]!) as string[];
}

/** Every cache the origin holds, with the path and query of each entry. */
function cachedUrls(p: Page): Promise<Record<string, string[]>> {
  return p.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
    }
    return out;
  });
}

function setOffline(offline: boolean): Promise<unknown> {
  return cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
}

beforeAll(async () => {
  stack = await startStack(2);
  // A browser profile on disk: Chromium never offers to install from an incognito-like context.
  profileDir = mkdtempSync(path.join(os.tmpdir(), 'parley-install-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: ['--disable-gpu', '--disable-quic'],
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(stack.nodes[0]!.url);
  cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // The worker installs after the page's load event; a controlled page is what a reload offline needs.
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: 20_000 });
});

afterAll(async () => {
  await context?.close();
  await stack?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

test('Chromium finds the page installable: manifest, icons, service worker', async () => {
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  const parsed = JSON.parse(manifest.data!) as { name: string; display: string; icons: { sizes: string; purpose: string }[] };
  expect(parsed).toMatchObject({ name: 'parley', short_name: 'parley', start_url: '/', scope: '/', display: 'standalone' });
  expect(parsed.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
});

test('the manifest, the worker and the page are served with their types, revalidated, under a CSP that allows them', async () => {
  const url = stack.nodes[0]!.url;
  const sw = await fetch(`${url}/sw.js`);
  expect(sw.status).toBe(200);
  expect(sw.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(sw.headers.get('cache-control')).toBe('no-cache');
  const manifest = await fetch(`${url}/manifest.webmanifest`);
  expect(manifest.headers.get('content-type')).toBe('application/manifest+json; charset=utf-8');
  expect(manifest.headers.get('cache-control')).toBe('no-cache');
  const index = await fetch(`${url}/`);
  expect(index.headers.get('cache-control')).toBe('no-cache');
  const csp = index.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("manifest-src 'self'");
  expect(csp).toContain("worker-src 'self'");
  const icon = await fetch(`${url}/icon-512.png`);
  expect(icon.headers.get('content-type')).toBe('image/png');
});

test('the worker keeps the shell only, never API answers, Socket.IO traffic, messages or tokens', async () => {
  // Traffic of every kind first: a chat with messages, an API call, the rules.
  const other = await stack.open(stack.nodes[1]!);
  await startChat(page, other);
  await say(page, 'secret-message-text');
  await other.getByTestId('messages').getByText('secret-message-text').waitFor();
  await page.evaluate(() => Promise.all([fetch('/api/config'), fetch('/api/rooms'), fetch('/rules', { headers: { accept: 'application/json' } })]));
  await page.getByTestId('leave').click();

  const expected = shellFiles();
  const stored = await cachedUrls(page);
  const names = Object.keys(stored);
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^parley-shell-[0-9a-f]{12}$/);
  const urls = stored[names[0]!]!;
  expect([...urls].sort()).toEqual([...expected].sort());
  expect(urls.filter((u) => LIVE.test(u))).toEqual([]);
  // Every file the page links is in the shell, so nothing is missing offline.
  const html = readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8');
  const linked = [...html.matchAll(/(?:src|href)="(\/[^"#]*)"/g)].map((m) => m[1]!).filter((u) => !LIVE.test(u));
  expect(linked.filter((u) => !expected.includes(u))).toEqual([]);
  // No cached body holds the message or the token.
  const token = await page.evaluate(() => Object.values(localStorage).join(' '));
  const bodies = await page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return Promise.all((await cache.keys()).map(async (r) => (await cache.match(r))!.text()));
  }, names[0]!);
  expect(bodies.some((b) => b.includes('secret-message-text'))).toBe(false);
  expect(token.length).toBeGreaterThan(0);
  for (const part of token.split(' ').filter((t) => t.length > 20)) expect(bodies.some((b) => b.includes(part))).toBe(false);
});

test('a reload without a network shows the shell and "You are offline", and the page connects by itself when it is back', async () => {
  await setOffline(true);
  // The network is really gone for the page: the API is never answered from the cache.
  await expect(page.evaluate(() => fetch('/api/config').then(() => 'answered', () => 'failed'))).resolves.toBe('failed');
  await page.reload();
  const banner = page.getByTestId('offline-banner');
  await banner.waitFor({ state: 'visible', timeout: 10_000 });
  await expect(banner.textContent()).resolves.toContain('You are offline.');
  await expect(page.getByRole('heading', { name: 'Talk to someone new.' }).isVisible()).resolves.toBe(true);
  await expect(page.getByTestId('connection-banner').isVisible()).resolves.toBe(false);
  await expect(page.evaluate(() => document.documentElement.dataset.network)).resolves.toBe('offline');
  // Nothing can be pressed that cannot work yet.
  await expect(page.evaluate(() => document.getElementById('main')!.inert)).resolves.toBe(true);
  const before = await page.evaluate(() => window.parley);
  expect(before).toBeUndefined();
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const shot = path.join(SCREENSHOTS_DIR, 'offline-mobile.png');
  await page.screenshot({ path: shot });
  copyFileSync(shot, path.join(__dirname, '..', '..', 'docs', 'screenshot-offline-mobile.png'));

  await setOffline(false);
  await banner.waitFor({ state: 'hidden', timeout: 10_000 });
  // Connected again on its own: the server's greeting arrived and the page is ready to start.
  await expect(userIdOf(page)).resolves.not.toBe('');
  await eventually(async () => expect(await page.getByTestId('status').textContent()).toContain('Ready'), 20_000);
  await expect(page.evaluate(() => document.getElementById('main')!.inert)).resolves.toBe(false);
});

test('going offline in a live page says so, and the connection comes back by itself', async () => {
  await userIdOf(page);
  await setOffline(true);
  const banner = page.getByTestId('offline-banner');
  await banner.waitFor({ state: 'visible', timeout: 10_000 });
  await setOffline(false);
  await banner.waitFor({ state: 'hidden', timeout: 10_000 });
  await eventually(async () => expect(await page.getByTestId('status').textContent()).toContain('Ready'), 20_000);
  await page.getByTestId('start').click();
  await waitForState(page, 'searching');
});
