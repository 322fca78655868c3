/**
 * call-setup: how fast a video chat shows the stranger. Two nodes sharing
 * Redis, coturn on loopback (the nodes hand out its TURN credentials), and
 * headless Chromium with its fake camera and microphone: 10 pairs, one after
 * the other, each a page on either node choosing video, every connection
 * forced through the relay (`?ice=relay`). Per side: the time from `matched`
 * (the page enters the chat) to the first frame of the stranger's video
 * (`loadeddata` of the remote <video>), read in the page. Beside it, the
 * signalling round trip across the nodes: two socket.io clients in a video
 * chat, one on each node, bounce a `call-signal` (an ICE candidate) back and
 * forth, timed at the sender.
 */
import { chromium, type Page } from 'playwright-core';
import { startCoturn } from '../../testkit/coturn';
import { startParleyProcess, type ParleyProcess } from '../../testkit/parley-process';
import { freePort } from '../../testkit/ports';
import { startRedis } from '../../testkit/redis-server';
import { closeAll, connect, request, type Client } from '../lib/clients';
import type { BenchContext } from '../lib/context';
import { summarize, type Summary } from '../lib/stats';

/** From `matched` to the stranger's first frame, p99, on loopback. */
export const CALL_SETUP_P99_MS = 1500;

export interface CallSetupResult {
  pairs: number;
  /** Matched → first remote frame, both sides of every pair. */
  firstFrameMs: Summary;
  samples: number[];
  /** call-signal across the two nodes and back. */
  signalRttMs: Summary;
  targetP99Ms: number;
}

declare const window: { __callProbe?: { matchedAt: number | null; frameAt: number | null } };

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs before the page: when it enters the chat, and when the stranger's video shows its first frame. */
const PROBE = `(() => {
  const probe = (window.__callProbe = { matchedAt: null, frameAt: null });
  document.addEventListener('DOMContentLoaded', () => {
    const status = document.querySelector('[data-testid="status"]');
    new MutationObserver(() => {
      if (status.dataset.state === 'chatting' && probe.matchedAt === null) probe.matchedAt = performance.now();
    }).observe(status, { attributes: true, attributeFilter: ['data-state'] });
    new MutationObserver(() => {
      const video = document.querySelector('[data-testid="video-remote"]');
      if (!video || video.dataset.probed) return;
      video.dataset.probed = '1';
      video.addEventListener('loadeddata', () => {
        if (probe.frameAt === null) probe.frameAt = performance.now();
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})()`;

const A_CANDIDATE = { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0', sdpMid: '0', sdpMLineIndex: 0 };

async function firstFrame(page: Page): Promise<number> {
  await page.waitForFunction(() => window.__callProbe?.frameAt != null && window.__callProbe.matchedAt != null, undefined, { timeout: 30_000, polling: 50 });
  return page.evaluate(() => Math.round(window.__callProbe!.frameAt! - window.__callProbe!.matchedAt!));
}

/** Two sockets in a video chat across the nodes bounce `call-signal`: `rounds` round trips, in ms. */
async function signalRoundTrips(nodes: ParleyProcess[], rounds: number): Promise<number[]> {
  const clients: Client[] = [];
  try {
    const [a, b] = [await connect(nodes[0]!.url), await connect(nodes[1]!.url)];
    clients.push(a, b);
    const matched = Promise.all([a, b].map((c) => new Promise((resolve) => c.once('matched', resolve))));
    await request(a, 'find-match', { mode: 'video' });
    await request(b, 'find-match', { mode: 'video' });
    await matched;
    b.on('call-signal', () => void request(b, 'call-signal', { kind: 'ice', candidate: A_CANDIDATE }));
    const trips: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const back = new Promise((resolve) => a.once('call-signal', resolve));
      const t0 = performance.now();
      const ack = await request(a, 'call-signal', { kind: 'ice', candidate: A_CANDIDATE });
      if (!ack.ok) throw new Error(`call-signal refused: ${JSON.stringify(ack)}`);
      await back;
      trips.push(performance.now() - t0);
      // Paced, so the per-chat signalling limit is not what is measured.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return trips;
  } finally {
    closeAll(clients);
  }
}

export async function callSetup(ctx: BenchContext): Promise<CallSetupResult> {
  const pairs = ctx.mode === 'smoke' ? 2 : 10;
  ctx.progress.step('call-setup: starting Redis, coturn and 2 nodes');
  const redis = await startRedis({ group: ctx.group });
  const turn = await startCoturn({ group: ctx.group, relayPorts: 80 });
  const nodes: ParleyProcess[] = [];
  for (let i = 0; i < 2; i++) {
    nodes.push(
      await startParleyProcess({
        group: ctx.group,
        id: `bench-call-${i + 1}`,
        port: await freePort(),
        env: {
          REDIS_URL: redis.url,
          SESSION_SECRET: 'bench-session-secret-0123456789',
          LOG_LEVEL: 'warn',
          RULES_GATE: 'off',
          POW_DIFFICULTY: '0',
          TURN_URLS: turn.urls.join(','),
          TURN_SECRET: turn.secret,
          NEW_IDENTITY_LIMIT: '1000000',
          HANDSHAKE_RATE_LIMIT: '1000000',
          MAX_CONNECTIONS_PER_IP: '1000000',
        },
        cpuProfDir: ctx.cpuProfDir,
      }),
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--disable-gpu', '--disable-quic', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < pairs; i++) {
      ctx.progress.update(`pair ${i + 1}/${pairs}`);
      const pages: Page[] = [];
      for (const node of nodes) {
        const context = await browser.newContext({ viewport: { width: 360, height: 740 }, permissions: ['camera', 'microphone'] });
        await context.addInitScript(PROBE);
        const page = await context.newPage();
        await page.goto(`${node.url}/?ice=relay`);
        await page.getByTestId('mode-video').check();
        await page.locator('[data-testid="start"]:not([disabled])').waitFor();
        pages.push(page);
      }
      const [a, b] = pages as [Page, Page];
      await a.getByTestId('start').click();
      await a.locator('[data-testid="status"][data-state="searching"]').waitFor();
      await b.getByTestId('start').click();
      samples.push(...(await Promise.all([firstFrame(a), firstFrame(b)])));
      await Promise.all(pages.map((page) => page.context().close()));
    }
    ctx.progress.update('signalling round trips');
    const trips = await signalRoundTrips(nodes, ctx.mode === 'smoke' ? 5 : 50);
    return { pairs, firstFrameMs: summarize(samples), samples, signalRttMs: summarize(trips), targetP99Ms: CALL_SETUP_P99_MS };
  } finally {
    await browser.close();
    for (const node of nodes) await ctx.group.stop(node.proc);
    await turn.stop();
    await redis.stop();
  }
}
