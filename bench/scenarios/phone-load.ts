/**
 * phone-load: how fast the page becomes usable on a mid-range phone, next to
 * the same loads unthrottled in the same run. Headless Chromium loads the page
 * from one node (memory store, the product's defaults: the rules gate on, a
 * proof of work for a new identity), once as a first visit (empty cache, new
 * identity) and once as a return visit (the service worker's shell, the
 * identity kept), each on two profiles:
 *
 * - phone: CPU slowed 4× (`Emulation.setCPUThrottlingRate`) and Lighthouse's
 *   slow 4G as DevTools applies it (562.5 ms request latency, 1.47 Mbit/s down,
 *   675 kbit/s up; `Network.emulateNetworkConditions`);
 * - unthrottled: this machine and loopback, the baseline.
 *
 * Per load: first render (first-contentful-paint) and interactive (the page's
 * script has wired the screens and the server's greeting has arrived: the
 * start button searches, or the rules dialog asks), from navigation start,
 * both read in the page; and the bytes that came over the network.
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { startParleyProcess } from '../../testkit/parley-process';
import { freePort } from '../../testkit/ports';
import type { BenchContext } from '../lib/context';
import { round } from '../lib/stats';

/**
 * The interactive budget on the phone profile, by visit. A return visit (the
 * installed app: the shell from the service worker) needs the network only for
 * the connection and the limits: 2 s. A first visit also fetches the page, its
 * scripts and its words, each a round trip of the profile's 562.5 ms plus the
 * transfer at 1.6 Mbit/s, before the connection's own round trips: 3.5 s.
 */
export const PHONE_TARGETS_MS = { first: 3500, return: 2000 } as const;

/** Lighthouse's mobile slow 4G with DevTools throttling (its RTT × 3.75, throughput × 0.9) and a 4× slower CPU. */
export const PHONE_PROFILE = {
  cpuSlowdown: 4,
  latencyMs: 562.5,
  downloadKbps: 1474.56,
  uploadKbps: 675,
} as const;

export type Profile = 'phone' | 'unthrottled';
export type Visit = 'first' | 'return';

export interface LoadSample {
  firstRenderMs: number;
  interactiveMs: number;
  transferredKiB: number;
}

export interface PhoneLoadRow {
  profile: Profile;
  visit: Visit;
  /** Medians over the runs. */
  firstRenderMs: number;
  interactiveMs: number;
  transferredKiB: number;
  samples: LoadSample[];
}

export interface PhoneLoadResult {
  runs: number;
  profile: typeof PHONE_PROFILE;
  targetMs: Readonly<Record<PhoneLoadRow['visit'], number>>;
  rows: PhoneLoadRow[];
}

// The page's globals read inside page functions (the bench compiles without the DOM library).
declare const window: { __phoneLoad?: { firstRender: number | null; interactive: number | null } };
declare const navigator: { serviceWorker: { controller: unknown } };

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs before the page's own scripts: first-contentful-paint, and the moment the greeting fills the user id. */
const PROBE = `(() => {
  const probe = (window.__phoneLoad = { firstRender: null, interactive: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') probe.firstRender = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  document.addEventListener('DOMContentLoaded', () => {
    const out = document.querySelector('[data-testid="user-id"]');
    const seen = () => { if (probe.interactive === null && out.textContent) probe.interactive = performance.now(); };
    new MutationObserver(seen).observe(out, { childList: true, characterData: true, subtree: true });
    seen();
  });
})()`;

async function throttle(cdp: CDPSession, profile: Profile): Promise<void> {
  const phone = profile === 'phone';
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: phone ? PHONE_PROFILE.cpuSlowdown : 1 });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: phone ? PHONE_PROFILE.latencyMs : 0,
    downloadThroughput: phone ? (PHONE_PROFILE.downloadKbps * 1000) / 8 : -1,
    uploadThroughput: phone ? (PHONE_PROFILE.uploadKbps * 1000) / 8 : -1,
  });
}

/** One navigation to `url` on `profile`, measured; the page stays open (its identity and shell stay). */
async function load(page: Page, cdp: CDPSession, url: string, profile: Profile): Promise<LoadSample> {
  let bytes = 0;
  const onFinished = (event: { encodedDataLength: number }) => void (bytes += event.encodedDataLength);
  cdp.on('Network.loadingFinished', onFinished);
  try {
    await throttle(cdp, profile);
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    const handle = await page.waitForFunction(
      () => {
        const p = window.__phoneLoad;
        return p && p.firstRender !== null && p.interactive !== null ? p : null;
      },
      undefined,
      { polling: 100, timeout: 60_000 },
    );
    const probe = (await handle.jsonValue()) as { firstRender: number; interactive: number };
    return { firstRenderMs: round(probe.firstRender), interactiveMs: round(probe.interactive), transferredKiB: round(bytes / 1024) };
  } finally {
    cdp.off('Network.loadingFinished', onFinished);
    await throttle(cdp, 'unthrottled');
  }
}

/** A first visit in a fresh browser profile, then, once the service worker holds the shell, a return visit. */
async function visitPair(browser: Browser, url: string, profile: Profile): Promise<[LoadSample, LoadSample]> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  try {
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const first = await load(page, cdp, url, profile);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    const again = await load(page, cdp, url, profile);
    return [first, again];
  } finally {
    await context.close();
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
};

export async function phoneLoad(ctx: BenchContext): Promise<PhoneLoadResult> {
  const runs = ctx.mode === 'smoke' ? 1 : ctx.mode === 'quick' ? 3 : 5;
  ctx.progress.step('phone-load: starting 1 node');
  const node = await startParleyProcess({
    group: ctx.group,
    id: 'bench-phone',
    port: await freePort(),
    env: {
      SESSION_SECRET: 'bench-session-secret-0123456789',
      LOG_LEVEL: 'warn',
      // Every load is a new identity from 127.0.0.1: the per-address limits are not what is measured.
      NEW_IDENTITY_LIMIT: '1000000',
      HANDSHAKE_RATE_LIMIT: '1000000',
      MAX_CONNECTIONS_PER_IP: '1000000',
    },
    cpuProfDir: ctx.cpuProfDir,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--disable-gpu', '--disable-quic'] });
  const samples = new Map<string, LoadSample[]>();
  const add = (profile: Profile, visit: Visit, sample: LoadSample) => {
    const key = `${profile}/${visit}`;
    samples.set(key, [...(samples.get(key) ?? []), sample]);
  };
  try {
    // Profiles alternate run by run, so a busy moment of the machine falls on both alike.
    for (let i = 0; i < runs; i++) {
      for (const profile of ['unthrottled', 'phone'] as const) {
        ctx.progress.update(`run ${i + 1}/${runs}: ${profile}`);
        const [first, again] = await visitPair(browser, node.url, profile);
        add(profile, 'first', first);
        add(profile, 'return', again);
      }
    }
  } finally {
    await browser.close();
    await ctx.group.stop(node.proc);
  }
  const rows: PhoneLoadRow[] = [];
  for (const visit of ['first', 'return'] as const) {
    for (const profile of ['phone', 'unthrottled'] as const) {
      const s = samples.get(`${profile}/${visit}`) ?? [];
      rows.push({
        profile,
        visit,
        firstRenderMs: median(s.map((x) => x.firstRenderMs)),
        interactiveMs: median(s.map((x) => x.interactiveMs)),
        transferredKiB: median(s.map((x) => x.transferredKiB)),
        samples: s,
      });
    }
  }
  return { runs, profile: PHONE_PROFILE, targetMs: PHONE_TARGETS_MS, rows };
}
