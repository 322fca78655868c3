/**
 * Rule 3 through real clients on different nodes: when what kept two waiters
 * apart runs out while both wait — a cooldown, the fallback, the rematch
 * window, a block — they are paired by a wakeup, with no new search, well
 * before the rescan (MATCH_RESCAN_MS) could pair them.
 */
import type { MatchedEvent } from '../../src/protocol';
import { connect, next, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const COOLDOWN = 300;
const FALLBACK = 1000;
const WINDOW = 2000;
const BLOCK = 3500;
const RESCAN = 60_000;
/** How late a wakeup may come on a busy machine: seconds, far from the rescan. */
const WAKEUP = 10_000;
const cluster = useCluster({
  MATCH_RESCAN_MS: String(RESCAN),
  MATCH_COOLDOWN_MS: String(COOLDOWN),
  RANDOM_FALLBACK_MS: String(FALLBACK),
  REMATCH_WINDOW_MS: String(WINDOW),
  BLOCK_TTL_MS: String(BLOCK),
  MATCH_RATE_LIMIT: '1000',
});

const on = (i: number) => connect(cluster.urls[i % 3]!);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pairUp(x: Client, y: Client, interest: string): Promise<number> {
  const both = Promise.all([next<MatchedEvent>(x, 'matched'), next<MatchedEvent>(y, 'matched')]);
  await request(x, 'find-match', { interests: [interest] });
  await request(y, 'find-match', { interests: [interest] });
  const [ex] = await both;
  return ex.startedAt;
}

test('after next-match with different interests, up to 400 ms apart: paired once both fallbacks passed', async () => {
  for (const gap of [0, 100, 230, 400]) {
    const [a, c, b, d] = await Promise.all([on(0), on(0), on(1), on(1)]);
    await pairUp(a, c, `ac-${gap}`);
    await pairUp(b, d, `bd-${gap}`);
    const aMatched = next<MatchedEvent>(a, 'matched', COOLDOWN + FALLBACK + gap + WAKEUP);
    expect(await request(a, 'next-match', { interests: [`only-a-${gap}`] })).toEqual({ ok: true, state: 'waiting' });
    await request(c, 'cancel-match', {});
    await sleep(gap);
    const bSearched = Date.now();
    expect(await request(b, 'next-match', { interests: [`only-b-${gap}`] })).toEqual({ ok: true, state: 'waiting' });
    await request(d, 'cancel-match', {});
    const event = await aMatched;
    expect(event.commonInterests).toEqual([]);
    // b's search started after its cooldown; its fallback passed FALLBACK after that.
    expect(Date.now() - bSearched).toBeLessThan(COOLDOWN + FALLBACK + WAKEUP);
    for (const client of [a, b, c, d]) client.disconnect();
  }
}, 120_000);

test('two waiters in cooldown on different nodes are paired when the later cooldown ends', async () => {
  const [a, c, b, d] = await Promise.all([on(0), on(0), on(1), on(1)]);
  await pairUp(a, c, 'ac');
  await pairUp(b, d, 'bd');
  const aMatched = next<MatchedEvent>(a, 'matched', COOLDOWN + WAKEUP);
  await request(a, 'next-match', {});
  await request(b, 'next-match', {});
  await request(c, 'cancel-match', {});
  await request(d, 'cancel-match', {});
  await aMatched;
});

test('former partners waiting on different nodes are paired once the rematch window runs out', async () => {
  const [a, b] = await Promise.all([on(0), on(1)]);
  const startedAt = await pairUp(a, b, 'window');
  await request(a, 'leave-room', {});
  await sleep(COOLDOWN + 20);
  // Heard from before the searches: on a slow machine the window may have run out already.
  const matched = next<MatchedEvent>(a, 'matched', WINDOW + WAKEUP);
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  const event = await matched;
  expect(event.startedAt).toBeGreaterThanOrEqual(startedAt + WINDOW);
  expect(event.startedAt).toBeLessThan(startedAt + WINDOW + WAKEUP);
}, 60_000);

test('a blocked and a blocking user waiting on different nodes are paired once the block runs out', async () => {
  const [a, b] = await Promise.all([on(1), on(2)]);
  await pairUp(a, b, 'block');
  const blockedAt = Date.now();
  expect(await request(a, 'block', {})).toEqual({ ok: true });
  await sleep(COOLDOWN + 20);
  // Heard from before the searches: on a slow machine the block may have run out already.
  const matched = next<MatchedEvent>(a, 'matched', BLOCK + WAKEUP);
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  const event = await matched;
  expect(event.startedAt).toBeGreaterThanOrEqual(blockedAt + BLOCK - 50);
  expect(event.startedAt).toBeLessThan(blockedAt + BLOCK + WAKEUP);
}, 60_000);
