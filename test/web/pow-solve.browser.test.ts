/**
 * How long the web client's proof of work takes on a phone-like CPU: headless
 * Chromium with CDP CPU throttling (4× and 6× approximate a mid-range phone),
 * solving GET /api/challenge in the same Web Worker (/pow-worker.js) the page
 * uses. The default POW_DIFFICULTY is solved, and its time printed (a
 * measurement, not a bound: the machine may be busy); with
 * PARLEY_POW_MEASURE=1 it also prints a table over several difficulties (the
 * figures in docs/moderation.md, which chose the default).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { CHROMIUM_PATH, ensureWebBuild } from './harness';

jest.setTimeout(600_000);

let browser: Browser;
const nodes: RunningNode[] = [];

beforeAll(async () => {
  ensureWebBuild();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--disable-gpu', '--disable-quic'] });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(nodes.map((n) => n.close()));
});

interface Solve {
  ms: number;
  number: number;
}

/** Runs in the page: a fresh challenge, solved by the page's own worker, timed. */
const SOLVE_IN_WORKER = `(async () => {
  const challenge = await (await fetch('/api/challenge', { cache: 'no-store' })).json();
  const worker = new Worker('/pow-worker.js');
  const started = performance.now();
  const payload = await new Promise((resolve) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.postMessage(challenge);
  });
  const ms = performance.now() - started;
  worker.terminate();
  return { ms, number: payload ? JSON.parse(atob(payload)).number : -1 };
})()`;

/**
 * The same loop as ALTCHA's solver, on the page's main thread: Chromium's CPU
 * throttling slows the main thread, and reaches the worker (and WebCrypto's
 * own threads) only in part, so this row bounds a slow phone from the other side.
 */
const SOLVE_ON_MAIN_THREAD = `(async () => {
  const c = await (await fetch('/api/challenge', { cache: 'no-store' })).json();
  const enc = new TextEncoder();
  const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
  const started = performance.now();
  let number = -1;
  for (let n = 0; n <= c.maxnumber; n++) {
    if (hex(await crypto.subtle.digest('SHA-256', enc.encode(c.salt + n))) === c.challenge) { number = n; break; }
  }
  return { ms: performance.now() - started, number };
})()`;

/** Solves `runs` fresh challenges from `node` in the page's worker under `rate`× CPU throttling. */
async function solves(page: Page, rate: number, runs: number, script = SOLVE_IN_WORKER): Promise<Solve[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const out: Solve[] = [];
  for (let i = 0; i < runs; i++) {
    out.push((await page.evaluate(script)) as Solve);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  return out;
}

async function pageAt(difficulty: number): Promise<Page> {
  const node = await startNode({ POW_DIFFICULTY: String(difficulty) });
  nodes.push(node);
  const page = await (await browser.newContext()).newPage();
  await page.goto(node.url);
  return page;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('the default proof of work is solved by a browser throttled like a phone (4×), and its time printed', async () => {
  const difficulty = loadConfig({}).powDifficulty;
  expect(difficulty).toBeGreaterThan(0);
  const page = await pageAt(difficulty);
  // The main thread is where CPU throttling fully applies; the page's worker is faster here.
  const runs = await solves(page, 4, 8, SOLVE_ON_MAIN_THREAD);
  expect(runs.every((r) => r.number >= 0)).toBe(true);
  const times = runs.map((r) => r.ms);
  console.log(`POW_DIFFICULTY=${difficulty}, 4× throttled main thread: median ${Math.round(median(times))} ms, mean ${Math.round(mean(times))} ms over ${runs.length} (docs/moderation.md has the full table)`);
});

const measure = process.env.PARLEY_POW_MEASURE === '1' ? test : test.skip;

measure('figures: solve time by difficulty and throttling', async () => {
  const rows: string[] = [
    '| POW_DIFFICULTY | where | CPU throttling | runs | mean ms | median ms | max ms | hashes/s (from the numbers found) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const difficulty of (process.env.PARLEY_POW_DIFFICULTIES ?? '50000,100000,200000').split(',').map(Number)) {
    const page = await pageAt(difficulty);
    for (const [where, script] of [['worker', SOLVE_IN_WORKER], ['main thread', SOLVE_ON_MAIN_THREAD]] as const) {
      for (const rate of [1, 4, 6]) {
        const runs = await solves(page, rate, Number(process.env.PARLEY_POW_RUNS ?? 10), script);
        const ms = runs.map((r) => r.ms);
        const rateHps = runs.reduce((a, r) => a + r.number, 0) / (ms.reduce((a, b) => a + b, 0) / 1000);
        rows.push(
          `| ${difficulty} | ${where} | ${rate}× | ${runs.length} | ${mean(ms).toFixed(0)} | ${median(ms).toFixed(0)} | ${Math.max(...ms).toFixed(0)} | ${Math.round(rateHps)} |`,
        );
      }
    }
    await page.context().close();
  }
  console.log(rows.join('\n'));
  expect(rows.length).toBeGreaterThan(2);
});
