/**
 * deep-pool: two users who suit each other, A and B, placed at random depths
 * of an open pool of W waiters that suit nobody (every pair of them, and each
 * of them with A and with B, has chatted inside the rematch window). How long
 * until A and B are paired, and how many Redis commands per second the
 * waiting pool costs while nobody can be paired.
 *
 * Two nodes; fillers, A and B are spread over both. Up to 1,000 the fillers
 * are real clients whose histories are seeded into Redis; beyond, all-pairs
 * histories would not fit (10,000 waiters ≈ 5·10⁷ pairs), so the fillers are
 * ghosts (test/helpers/pool-seed.ts): waiters written into Redis that no node
 * searches for, kept from A and B by A's and B's histories. Ghosts never walk
 * the pool, so the background cost at those sizes is extrapolated from the
 * per-waiter rate measured with real fillers, and labelled so.
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { PoolSeed, ghostIds } from '../../test/helpers/pool-seed';
import { closeAll, connectWithSession, request, type Client } from '../lib/clients';
import { commandStats, diffStats, startCluster, stopCluster, total, type ClusterHandle } from '../lib/cluster';
import { redisCommand } from '../../testkit/redis-server';
import type { BenchContext } from '../lib/context';
import { ACK_TIMEOUT_MS, ClientFillers, GhostFillers, userIdOf, type Fillers } from '../lib/fillers';
import { sleep } from '../lib/procs';
import { round, summarize, type Summary } from '../lib/stats';
import { seededRandom } from '../../test/helpers/random';

/** Node settings of the background walk, passed through from the bench's environment when set there. */
export const WALK_SETTINGS = {
  /** Waiters one step of a background search reads. */
  MATCH_SCAN_PAGE: '100',
  /** Pause between the steps of a walk in progress. */
  MATCH_SCAN_STEP_MS: '20',
  /** After a full pass found no one, a waiter reads one more page every this long. */
  MATCH_RESCAN_MS: '30000',
};

/** Node settings that make the pool deep: no cooldown, no rematch, nobody falls back. */
const POOL_ENV = {
  MATCH_COOLDOWN_MS: '0',
  REMATCH_WINDOW_MS: '86400000',
  RANDOM_FALLBACK_MS: '3600000',
};

/**
 * Placements are drawn from this seed (mixed with W): every run, before and
 * after a change, and whichever sizes ran before, uses the same depths.
 */
const SEED = 20261122;
/** Between A's (or B's) search and its neighbours', so that pool order is exact (scores are whole ms). */
const GAP_MS = 5;

export type FillerKind = 'clients' | 'ghosts';

export interface Placement {
  /** Waiters in front of A in the pool (fillers that searched before it). */
  depthA: number;
  /** Waiters in front of B in the pool (A included). */
  depthB: number;
  /** A and B were paired with each other within the timeout. */
  paired: boolean;
  /** From B's `find-match` ack until both A and B hold `matched`; 0 when the pair formed inside that call. */
  timeToPairMs: number | null;
  /** The same, from B's `find-match` emit. */
  fromEmitMs: number | null;
  /** Fillers paired with anyone (must be 0: they are all ineligible). */
  fillersPaired: number;
}

export interface BackgroundCost {
  /** Length of each window, seconds. */
  windowS: number;
  /** All clients connected, nobody searching: heartbeats and the like (null when extrapolated). */
  idlePerS: number | null;
  /** Only the fillers waiting (null when extrapolated). */
  waitingPerS: number | null;
  /** waitingPerS − idlePerS: what the waiting pool costs. */
  netPerS: number;
  netPerWaiter: number;
  /** True when not measured at this size but extrapolated from smaller ones (ghost fillers do not walk). */
  extrapolated: boolean;
}

export interface DeepPoolLevel {
  waiters: number;
  fillers: FillerKind;
  placements: Placement[];
  paired: number;
  /** Over the placements that paired. */
  timeToPairMs: Summary;
  fillersPaired: number;
  /** Redis commands per second (INFO commandstats, commands inside scripts included). */
  background: BackgroundCost | null;
  /** Redis used_memory with the whole pool waiting (largest placement), MiB. */
  redisMiB: number;
}

export interface DeepPoolResult {
  nodes: number;
  /** Node settings the scenario sets (the walk settings are ignored by a node that predates them). */
  settings: Record<string, string>;
  timeoutMs: number;
  seed: number;
  levels: DeepPoolLevel[];
  /** How per-waiter cost was carried to the ghost sizes: rate ∝ W^exponent through the two largest measured sizes. */
  extrapolation: { fromWaiters: number[]; exponent: number } | null;
}

interface Plan {
  levels: { waiters: number; fillers: FillerKind; placements: number }[];
  timeoutMs: number;
  windowMs: number;
  /** Before a window: lets the searches just made finish their first pass. */
  settleMs: number;
}

function plan(ctx: BenchContext, rescanMs: number): Plan {
  if (ctx.mode === 'smoke') {
    return {
      levels: [
        { waiters: 50, fillers: 'clients', placements: 2 },
        { waiters: 200, fillers: 'ghosts', placements: 1 },
      ],
      timeoutMs: 2000,
      windowMs: 1000,
      settleMs: 200,
    };
  }
  const placements = ctx.mode === 'quick' ? 3 : 5;
  return {
    levels: [
      { waiters: 100, fillers: 'clients', placements },
      { waiters: 1000, fillers: 'clients', placements },
      { waiters: 10_000, fillers: 'ghosts', placements },
    ],
    timeoutMs: 10_000,
    // One rescan period: every waiter's periodic read falls in the window about once.
    windowMs: Math.max(2000, Math.min(rescanMs, 30_000)),
    settleMs: 1000,
  };
}

function onceMatched(c: Client): Promise<{ at: number; roomId: string }> {
  return new Promise((resolve) => c.once('matched', (e: { roomId: string }) => resolve({ at: performance.now(), roomId: e.roomId })));
}

/** Redis commands per second over `ms` (every command, those inside scripts included). */
async function commandRate(port: number, ms: number): Promise<{ perS: number; windowS: number }> {
  const before = await commandStats(port);
  const t0 = performance.now();
  await sleep(ms);
  const after = await commandStats(port);
  const windowS = (performance.now() - t0) / 1000;
  return { perS: total(diffStats(after, before)) / windowS, windowS };
}

async function usedMiB(port: number): Promise<number> {
  const info = await redisCommand(port, ['INFO', 'memory']);
  return round(Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0) / 2 ** 20, 1);
}

interface PlacementRun {
  placement: Placement;
  background: Omit<BackgroundCost, 'extrapolated'> | null;
  redisMiB: number;
}

async function runPlacement(
  ctx: BenchContext,
  level: Plan['levels'][number],
  depths: [number, number],
  env: Record<string, string>,
  timing: Pick<Plan, 'timeoutMs' | 'windowMs' | 'settleMs'> & { measure: boolean },
  say: (detail: string) => void,
): Promise<PlacementRun> {
  const W = level.waiters;
  const prefix = `deep${W}`;
  const cluster: ClusterHandle = await startCluster(ctx.group, 2, { env: { ...env, REDIS_PREFIX: prefix }, cpuProfDir: ctx.cpuProfDir });
  const urls = cluster.nodes.map((n) => n.url);
  const redis = new Redis(cluster.redis.url);
  const seed = new PoolSeed(redis, prefix);
  const people: Client[] = [];
  let fillers: Fillers | null = null;
  try {
    const [a, b] = await Promise.all([connectWithSession(urls[0]!), connectWithSession(urls[1]!)]);
    people.push(a.client, b.client);
    const idA = userIdOf(a.session);
    const idB = userIdOf(b.session);
    const at = Date.now();
    if (level.fillers === 'clients') {
      say('connecting fillers');
      fillers = await ClientFillers.connect(urls, W, (done) => say(`fillers connected ${done}/${W}`));
      say('seeding histories');
      await seed.allChatted(fillers.ids, at);
      await seed.chatted(idA, fillers.ids, at);
      await seed.chatted(idB, fillers.ids, at);
    } else {
      fillers = new GhostFillers(seed, ghostIds(W), cluster.nodes.map((n) => n.id));
      await seed.chatted(idA, fillers.ids, at, { oneWay: true });
      await seed.chatted(idB, fillers.ids, at, { oneWay: true });
    }
    let idle: { perS: number; windowS: number } | null = null;
    if (timing.measure) {
      say('Redis commands, nobody searching');
      await sleep(timing.settleMs);
      idle = await commandRate(cluster.redis.port, timing.windowMs);
    }

    // Pool order is search start: fillers [0, k1), A, fillers [k1, k2), B, the rest.
    const [k1, k2] = depths;
    const aMatched = onceMatched(a.client);
    const bMatched = onceMatched(b.client);
    say(`searching: A behind ${k1}, B behind ${k2 + 1}`);
    await fillers.search(0, k1);
    await sleep(GAP_MS);
    const ackA = await request(a.client, 'find-match', {}, ACK_TIMEOUT_MS);
    if (!ackA.ok) throw new Error(`A's find-match was refused: ${JSON.stringify(ackA)}`);
    const rankA = await redis.zrank(seed.keys.openPool, idA);
    // A node that keeps its pool elsewhere answers null here; a wrong rank is a bug of this harness.
    if (rankA !== null && rankA !== k1) throw new Error(`A is at depth ${rankA} of the open pool, not ${k1}`);
    await sleep(GAP_MS);
    await fillers.search(k1, k2);
    await sleep(GAP_MS);
    const emitted = performance.now();
    const ackB = await request(b.client, 'find-match', {}, ACK_TIMEOUT_MS);
    const acked = performance.now();
    if (!ackB.ok) throw new Error(`B's find-match was refused: ${JSON.stringify(ackB)}`);
    // The fillers behind B search while the clock runs, as they would in a live pool.
    const rest = fillers.search(k2, W);
    const both = await Promise.race([Promise.all([aMatched, bMatched]), sleep(timing.timeoutMs).then(() => null)]);
    await rest;
    const redisMiB = await usedMiB(cluster.redis.port);
    const paired = both !== null && both[0].roomId === both[1].roomId;
    const done = both ? Math.max(both[0].at, both[1].at) : 0;
    const placement: Placement = {
      depthA: k1,
      depthB: k2 + 1,
      paired,
      timeToPairMs: paired ? round(Math.max(0, done - acked), 1) : null,
      fromEmitMs: paired ? round(done - emitted, 1) : null,
      fillersPaired: await fillers.paired(),
    };

    let background: PlacementRun['background'] = null;
    if (idle) {
      // Only the fillers wait now: A and B are chatting, or leave.
      if (!paired) closeAll(people);
      say('Redis commands, only the fillers waiting');
      const settleMs = timing.settleMs + Math.ceil(W / Number(env.MATCH_SCAN_PAGE)) * Number(env.MATCH_SCAN_STEP_MS);
      await sleep(settleMs);
      const waiting = await commandRate(cluster.redis.port, timing.windowMs);
      const net = Math.max(0, waiting.perS - idle.perS);
      background = {
        windowS: round(waiting.windowS, 1),
        idlePerS: round(idle.perS, 0),
        waitingPerS: round(waiting.perS, 0),
        netPerS: round(net, 0),
        netPerWaiter: round(net / W, 2),
      };
    }
    return { placement, background, redisMiB };
  } finally {
    closeAll(people);
    fillers?.close();
    await redis.quit().catch(() => redis.disconnect());
    await stopCluster(ctx.group, cluster);
  }
}

/** Per-waiter cost at `waiters`, as a power of W through the two largest measured sizes (never falling with W). */
export function extrapolate(measured: { waiters: number; perWaiter: number }[], waiters: number): { perWaiter: number; exponent: number } | null {
  const points = [...measured].sort((x, y) => x.waiters - y.waiters).slice(-2);
  const last = points[points.length - 1];
  if (!last) return null;
  const first = points[0]!;
  let exponent = 0;
  if (points.length === 2 && first.perWaiter > 0 && last.perWaiter > 0) {
    exponent = Math.min(2, Math.max(0, Math.log(last.perWaiter / first.perWaiter) / Math.log(last.waiters / first.waiters)));
  }
  return { perWaiter: last.perWaiter * (waiters / last.waiters) ** exponent, exponent: round(exponent, 2) };
}

export async function deepPool(ctx: BenchContext): Promise<DeepPoolResult> {
  const walk = Object.fromEntries(Object.entries(WALK_SETTINGS).map(([k, v]) => [k, process.env[k] ?? v]));
  const env = { ...POOL_ENV, ...walk };
  const p = plan(ctx, Number(walk.MATCH_RESCAN_MS));
  const levels: DeepPoolLevel[] = [];
  for (const level of p.levels) {
    const random = seededRandom(SEED ^ level.waiters);
    ctx.progress.step(`deep-pool: ${level.waiters.toLocaleString('en-US')} ineligible waiters (${level.fillers}), A and B at random depths`);
    const placements: Placement[] = [];
    let background: BackgroundCost | null = null;
    let redisMiB = 0;
    for (let i = 0; i < level.placements; i++) {
      const x = Math.floor(random() * (level.waiters + 1));
      const y = Math.floor(random() * (level.waiters + 1));
      const depths: [number, number] = [Math.min(x, y), Math.max(x, y)];
      const measure = i === 0 && level.fillers === 'clients';
      const run = await runPlacement(ctx, level, depths, env, { timeoutMs: p.timeoutMs, windowMs: p.windowMs, settleMs: p.settleMs, measure }, (d) =>
        ctx.progress.update(`placement ${i + 1}/${level.placements}: ${d}`),
      );
      placements.push(run.placement);
      if (run.background) background = { ...run.background, extrapolated: false };
      redisMiB = Math.max(redisMiB, run.redisMiB);
    }
    const paired = placements.filter((x) => x.paired);
    levels.push({
      waiters: level.waiters,
      fillers: level.fillers,
      placements,
      paired: paired.length,
      timeToPairMs: summarize(paired.map((x) => x.timeToPairMs!)),
      fillersPaired: placements.reduce((sum, x) => sum + x.fillersPaired, 0),
      background,
      redisMiB,
    });
  }
  const measured = levels.filter((l) => l.background).map((l) => ({ waiters: l.waiters, perWaiter: l.background!.netPerS / l.waiters }));
  let extrapolation: DeepPoolResult['extrapolation'] = null;
  for (const l of levels) {
    if (l.background) continue;
    const e = extrapolate(measured, l.waiters);
    if (!e) continue;
    extrapolation = { fromWaiters: measured.map((m) => m.waiters).sort((x, y) => x - y).slice(-2), exponent: e.exponent };
    l.background = { windowS: 0, idlePerS: null, waitingPerS: null, netPerS: round(e.perWaiter * l.waiters, 0), netPerWaiter: round(e.perWaiter, 2), extrapolated: true };
  }
  return { nodes: 2, settings: env, timeoutMs: p.timeoutMs, seed: SEED, levels, extrapolation };
}
