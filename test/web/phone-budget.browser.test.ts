/**
 * The phone budget: how much JavaScript and CSS (gzip) the page loads for its
 * first screen and for a chat, measured from what Chromium actually requests,
 * against the budgets stated in docs/web-client.md ("Phone budget"). Sizes
 * only: they are deterministic for a build. The timings on a throttled phone
 * profile are a benchmark (`npm run bench -- --quick --no-docs --only
 * phone-load`), not a test.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';
import { say, startChat, startStack, userIdOf, type Stack } from './harness';

jest.setTimeout(120_000);

/** Gzip budgets in bytes (level 9, as the build precompresses). */
const BUDGET = {
  firstScreen: { js: 60 * 1024, css: 15 * 1024 },
  chat: { js: 60 * 1024, css: 15 * 1024 },
};

interface Loaded {
  js: Map<string, number>;
  css: Map<string, number>;
}

const total = (files: Map<string, number>) => [...files.values()].reduce((a, b) => a + b, 0);

/** Records the gzip size of every script and stylesheet the page (and its workers) fetch from now on. */
function record(page: Page): Loaded & { settled(): Promise<void> } {
  const loaded: Loaded = { js: new Map(), css: new Map() };
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) => {
    const type = response.request().resourceType();
    const kind = type === 'script' ? 'js' : type === 'stylesheet' ? 'css' : null;
    const url = new URL(response.url());
    if (!kind || url.pathname === '/sw.js') return;
    pending.push(
      response.body().then(
        (body) => void loaded[kind].set(url.pathname, gzipSync(body, { level: 9 }).length),
        () => undefined,
      ),
    );
  };
  page.context().on('response', onResponse);
  return { ...loaded, settled: async () => void (await Promise.all(pending)) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const line = (screen: string, l: Loaded) =>
  `${screen}: JS ${kb(total(l.js))} (${[...l.js.keys()].join(', ')}), CSS ${kb(total(l.css))} (${[...l.css.keys()].join(', ')})`;

let stack: Stack;

/** A raw GET (no decoding) with the given Accept-Encoding. */
function rawGet(url: string, acceptEncoding: string | undefined): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  stack = await startStack(2);
});

afterAll(async () => {
  await stack?.close();
});

test('the first screen and a chat stay within the gzip budgets for JavaScript and CSS', async () => {
  const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  const context = await stack.browser.newContext(phone);
  const a = await context.newPage();
  const first = record(a);
  await a.goto(stack.nodes[0]!.url);
  await userIdOf(a);
  await first.settled();
  const firstScreen = { js: new Map(first.js), css: new Map(first.css) };

  const b = await stack.open(stack.nodes[1]!, phone);
  await startChat(a, b);
  await say(a, 'hello from a small phone');
  await b.getByTestId('messages').getByText('hello from a small phone').waitFor();
  await first.settled();
  const chat = { js: first.js, css: first.css };
  process.stdout.write(`phone budget (gzip -9)\n  ${line('first screen', firstScreen)}\n  ${line('chat', chat)}\n`);

  expect(firstScreen.js.size).toBeGreaterThan(0);
  expect(firstScreen.css.size).toBeGreaterThan(0);
  expect(total(firstScreen.js)).toBeLessThanOrEqual(BUDGET.firstScreen.js);
  expect(total(firstScreen.css)).toBeLessThanOrEqual(BUDGET.firstScreen.css);
  expect(total(chat.js)).toBeLessThanOrEqual(BUDGET.chat.js);
  expect(total(chat.css)).toBeLessThanOrEqual(BUDGET.chat.css);
  await context.close();
});

test('scripts, styles and the page go out precompressed (Brotli, else gzip), the same bytes once decoded', async () => {
  const url = stack.nodes[0]!.url;
  const publicDir = path.join(__dirname, '..', '..', 'dist', 'public');
  const script = readFileSync(path.join(publicDir, 'app.js'));
  const br = await rawGet(`${url}/app.js?v=1`, 'gzip, deflate, br');
  expect(br.headers).toMatchObject({ 'content-encoding': 'br', 'content-type': 'text/javascript; charset=utf-8' });
  expect(br.headers.vary).toContain('Accept-Encoding');
  expect(brotliDecompressSync(br.body).equals(script)).toBe(true);
  const gz = await rawGet(`${url}/app.js`, 'gzip');
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gz.body).equals(script)).toBe(true);
  const plain = await rawGet(`${url}/app.js`, undefined);
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body.equals(script)).toBe(true);
  // The page at / and at an invite link, compressed and revalidated; images as they are.
  const page = readFileSync(path.join(publicDir, 'index.html'));
  for (const at of ['/', '/r/AbCdEf12']) {
    const res = await rawGet(`${url}${at}`, 'br');
    expect(res.headers).toMatchObject({ 'content-encoding': 'br', 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    expect(brotliDecompressSync(res.body).equals(page)).toBe(true);
  }
  const icon = await rawGet(`${url}/icon-192.png`, 'br');
  expect(icon.headers['content-encoding']).toBeUndefined();
  expect((await rawGet(`${url}/..%2fpackage.json`, 'br')).headers['content-encoding']).toBeUndefined();
});
