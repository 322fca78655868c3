/**
 * pair-burst: N seekers connect (spread over the nodes), then all send
 * `find-match` in the same tick. Measures the share paired, the time until
 * all are paired, and each seeker's latency from emit to `matched`.
 */
import { performance } from 'node:perf_hooks';
import { closeAll, connect, pool, type Client } from '../lib/clients';
import { backendCommands, startBackend, type Backend } from '../lib/backend';
import { startCluster, startNodes, stopCluster, total, TripCounter } from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { sleep } from '../lib/procs';
import { round, summarize, type Summary } from '../lib/stats';

export interface PairBurstRun {
  seekers: number;
  nodes: number;
  paired: number;
  pairedShare: number;
  allPairedMs: number | null;
  latencyMs: Summary;
  /** Users reported in two rooms, or rooms with other than two users (must be 0). */
  integrityErrors: number;
  failedAcks: number;
  /** Redis commands per pair from INFO commandstats, script-internal calls included. */
  redisCommandsPerPair: number;
}

/** Redis commands per unit of work (a pairing, a message). */
export interface Trips {
  /** How many units the counts are divided by. */
  units: number;
  /** Commands clients sent (round trips) per unit, by command. */
  perUnit: Record<string, number>;
  roundTrips: number;
  /** Commands run inside Lua scripts per unit, by command. */
  insideScripts: Record<string, number>;
}

export interface PairBurstResult {
  runs: PairBurstRun[];
  trips: Trips;
}

interface Seeker {
  client: Client;
  sentAt: number;
  matchedAt: number;
  room: string | null;
  rooms: number;
}

async function connectSeekers(ctx: BenchContext, urls: string[], n: number): Promise<Seeker[]> {
  const clients = await pool(n, 100, (i) => connect(urls[i % urls.length]!), (done) => {
    if (done % 100 === 0) ctx.progress.update(`connected ${done}/${n}`);
  });
  return clients.map((client) => {
    const s: Seeker = { client, sentAt: 0, matchedAt: 0, room: null, rooms: 0 };
    client.on('matched', (e: { roomId: string }) => {
      if (s.matchedAt === 0) s.matchedAt = performance.now();
      s.room = e.roomId;
      s.rooms++;
    });
    return s;
  });
}

async function waitPaired(seekers: Seeker[], timeoutMs: number, onTick: (paired: number) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const paired = seekers.filter((s) => s.matchedAt > 0).length;
    onTick(paired);
    if (paired === seekers.length || Date.now() > deadline) return;
    await sleep(20);
  }
}

/** One burst of `n` seekers over `nodes` nodes on a fresh one Redis. */
async function burstOnce(ctx: BenchContext, n: number, nodes: number): Promise<PairBurstRun> {
  ctx.progress.update(`starting ${nodes} node(s)`);
  const backend = await startBackend(ctx, 'redis');
  const handles = await startNodes(ctx.group, backend.target, nodes, { env: backend.env, cpuProfDir: ctx.cpuProfDir });
  try {
    return await burst(ctx, backend, handles.map((x) => x.url), n);
  } finally {
    await Promise.all(handles.map((x) => ctx.group.stop(x.proc)));
    await backend.stop();
  }
}

/** N seekers spread round-robin over `urls` send `find-match` in the same tick; commands counted on `backend`. */
export async function burst(ctx: BenchContext, backend: Backend, urls: string[], n: number): Promise<PairBurstRun> {
  const seekers = await connectSeekers(ctx, urls, n);
  await sleep(300);
  const before = await backendCommands(backend);
  let failedAcks = 0;
  const t0 = performance.now();
  for (const s of seekers) {
    s.sentAt = performance.now();
    s.client.emit('find-match', {}, (r: { ok: boolean }) => {
      if (!r.ok) failedAcks++;
    });
  }
  await waitPaired(seekers, 15_000 + n * 5, (p) => ctx.progress.update(`${p}/${n} paired`));
  await sleep(200);
  const after = await backendCommands(backend);
  const matched = seekers.filter((s) => s.matchedAt > 0);
  const byRoom = new Map<string, number>();
  for (const s of matched) byRoom.set(s.room!, (byRoom.get(s.room!) ?? 0) + 1);
  const integrityErrors =
    seekers.filter((s) => s.rooms > 1).length + [...byRoom.values()].filter((count) => count !== 2).length;
  closeAll(seekers.map((s) => s.client));
  const pairs = matched.length / 2;
  return {
    seekers: n,
    nodes: urls.length,
    paired: matched.length,
    pairedShare: round(matched.length / n, 4),
    allPairedMs: matched.length === n ? round(Math.max(...matched.map((s) => s.matchedAt)) - t0, 1) : null,
    latencyMs: summarize(matched.map((s) => s.matchedAt - s.sentAt)),
    integrityErrors,
    failedAcks,
    redisCommandsPerPair: pairs ? round((after - before) / pairs, 1) : 0,
  };
}

/** Redis round trips per pairing, read from MONITOR on a small burst (1 node). */
async function countTrips(ctx: BenchContext, n: number): Promise<Trips> {
  const cluster = await startCluster(ctx.group, 1);
  const counter = new TripCounter();
  try {
    const seekers = await connectSeekers(ctx, [cluster.nodes[0]!.url], n);
    await sleep(300);
    // Presence heartbeats run regardless: count an idle window first, subtract it.
    const idle = new TripCounter();
    await idle.start(cluster.redis.port);
    const idleStart = Date.now();
    await sleep(ctx.mode === 'smoke' ? 1000 : 2000);
    idle.stop();
    const idleMs = Date.now() - idleStart;
    await counter.start(cluster.redis.port);
    const start = Date.now();
    for (const s of seekers) {
      s.sentAt = performance.now();
      s.client.emit('find-match', {});
    }
    await waitPaired(seekers, 10_000, (p) => ctx.progress.update(`counting round trips: ${p}/${n} paired`));
    await sleep(300);
    counter.stop();
    const windowMs = Date.now() - start;
    closeAll(seekers.map((s) => s.client));
    const pairs = seekers.filter((s) => s.matchedAt > 0).length / 2;
    return tripsPer(counter, idle, windowMs / idleMs, pairs);
  } finally {
    counter.stop();
    await stopCluster(ctx.group, cluster);
  }
}

export function tripsPer(counter: TripCounter, idle: TripCounter, idleScale: number, units: number): Trips {
  const per = (counts: Record<string, number>, noise: Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [cmd, calls] of Object.entries(counts)) {
      const v = round((calls - (noise[cmd] ?? 0) * idleScale) / units, 2);
      if (v > 0.004) out[cmd] = v;
    }
    return out;
  };
  const perUnit = per(counter.client, idle.client);
  return {
    units,
    perUnit,
    roundTrips: round(total(perUnit), 2),
    insideScripts: per(counter.script, idle.script),
  };
}

export async function pairBurst(ctx: BenchContext): Promise<PairBurstResult> {
  const sizes = ctx.mode === 'smoke' ? [20] : ctx.mode === 'quick' ? [200, 2000] : [200, 1000, 2000];
  const nodeCounts = ctx.mode === 'smoke' ? [1, 2] : [1, 3];
  const runs: PairBurstRun[] = [];
  for (const n of sizes) {
    for (const nodes of nodeCounts) {
      ctx.progress.step(`pair-burst: ${n} seekers on ${nodes} node(s)`);
      runs.push(await burstOnce(ctx, n, nodes));
    }
  }
  ctx.progress.step('pair-burst: Redis round trips per pairing');
  const trips = await countTrips(ctx, ctx.mode === 'smoke' ? 20 : 200);
  return { runs, trips };
}
