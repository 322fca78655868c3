/**
 * The SDK in a browser (headless Chromium): bundled for the page with
 * esbuild, it solves the proof of work with WebCrypto, keeps its token in
 * localStorage, and talks in a room with a client in Node on the same node.
 */
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connect, type ParleyClient } from '@parley/client';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { CHROMIUM_PATH } from '../web/harness';
import { nextEvent } from './sdk-fixture';

const pkg = path.join(__dirname, '..', '..', 'packages', 'client');
let node: RunningNode;
let browser: Browser;
let page: Page;
let other: ParleyClient | undefined;

beforeAll(async () => {
  const [started, bundle] = await Promise.all([
    startNode({ NODE_ID: 'sdk-browser', POW_DIFFICULTY: '2000', ROOMS: 'lobby' }),
    esbuild.build({
      stdin: { contents: "import * as parley from '@parley/client'; (globalThis as any).parley = parley;", loader: 'ts', resolveDir: pkg },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      logLevel: 'error',
      alias: { '@parley/client': path.join(pkg, 'src', 'index.ts') },
    }),
  ]);
  node = started;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--disable-gpu', '--disable-quic'] });
  // The page's origin is the node's (any same-origin page without the web client will do); the bundle comes in as a script tag.
  const context = await browser.newContext({ bypassCSP: true });
  page = await context.newPage();
  await page.goto(`${node.url}/api/config`);
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
}, 60_000);

afterAll(async () => {
  await other?.close();
  await browser?.close();
  await node?.close();
});

test('a client in the page connects (proof of work solved in the browser), keeps its token in localStorage and talks in a room', async () => {
  const session = await page.evaluate(async () => {
    // The page's globals (the root tsconfig has no DOM library).
    const page = globalThis as unknown as { parley: typeof import('@parley/client'); location: { origin: string }; localStorage: { getItem(key: string): string | null } };
    const { connect } = page.parley;
    const client = connect(page.location.origin);
    const got: string[] = [];
    client.on('room-message', (m) => got.push(`${m.seq} ${m.mine ? 'me' : m.name}: ${m.text}`));
    (globalThis as unknown as { sdk: unknown }).sdk = { client, got };
    const first = await client.ready();
    await client.joinRoom('lobby', { name: 'Page' });
    return { userId: first.userId, stored: page.localStorage.getItem('parley.token') === first.token };
  });
  expect(session).toEqual({ userId: expect.any(String), stored: true });

  other = connect(node.url, { transports: ['websocket'] });
  await other.ready();
  await other.joinRoom('lobby', { name: 'Node' });
  const reply = nextEvent(other, 'room-message', (m) => m.name === 'Page');
  await other.sendRoom('lobby', 'hello page');
  await page.waitForFunction(() => (globalThis as unknown as { sdk: { got: string[] } }).sdk.got.length === 1);
  await page.evaluate(() => (globalThis as unknown as { sdk: { client: ParleyClient } }).sdk.client.sendRoom('lobby', 'hello node'));
  expect(await reply).toMatchObject({ text: 'hello node', mine: false });
  await page.waitForFunction(() => (globalThis as unknown as { sdk: { got: string[] } }).sdk.got.length === 2);
  expect(await page.evaluate(() => (globalThis as unknown as { sdk: { got: string[] } }).sdk.got)).toEqual(['1 Node: hello page', '2 me: hello node']);
});
