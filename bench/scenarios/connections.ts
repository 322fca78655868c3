/**
 * connections: memory per idle connection (VmRSS delta of the server
 * process ÷ N) and event-loop lag while holding them, for a parley node and
 * for the bare Socket.IO relay. Lag is probed from outside: round trips of an
 * HTTP request the server answers from memory (parley: GET /api/config,
 * baseline: GET /health) over a keep-alive connection, every 10 ms.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startBaseline, startCluster, startRedis, stopCluster, type NodeHandle } from '../lib/cluster';
import { httpGet } from '../../testkit/http';
import type { BenchContext } from '../lib/context';
import { openFileLimits, rssBytes, sleep } from '../lib/procs';
import { round, summarize, type Summary } from '../lib/stats';
import { censusPerUnit, gcAndMemory, heapCensus, type MemoryUsage } from '../lib/inspector';
import { connectSpread, type Worker } from '../lib/workers';

export interface ConnectionLevel {
  connections: number;
  rssMiB: number;
  /** (RSS now − RSS before any connection) ÷ connections. */
  kibPerConnection: number;
  /** Probe round trips while holding the connections. */
  probeMs: Summary;
  /** After a forced full GC (through the inspector), per connection: */
  afterGc: { rssKiB: number; heapUsedKiB: number; externalKiB: number };
}

/** One kind of heap object, per connection (from heap snapshots). */
export interface HeapShare {
  kind: string;
  objects: number;
  bytes: number;
}

export interface ConnectionsRun {
  server: 'parley' | 'baseline';
  idleRssMiB: number;
  idleProbeMs: Summary;
  levels: ConnectionLevel[];
  /** What one connection is made of (heap snapshots, on a separate process). */
  heap: HeapCut;
}

export interface HeapCut {
  connections: number;
  bytesPerConnection: number;
  top: HeapShare[];
}

export interface ConnectionsResult {
  parley: ConnectionsRun;
  baseline: ConnectionsRun;
  /** The many-idle-users step (full runs): asked for, held, and what capped it. */
  manyIdle?: ManyIdlePlan;
}

export interface ManyIdlePlan {
  requested: number;
  held: number;
  /** Open-file hard limit of the bench's processes (the servers inherit it). */
  openFileHardLimit: number;
  /** Set when the step was cut short of `requested`. */
  limitedBy?: string;
}

/** Round trips of GET `url` on one keep-alive connection, every 10 ms, for `ms`. */
export async function probe(url: string, ms: number): Promise<Summary> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  const end = Date.now() + ms;
  try {
    while (Date.now() < end) {
      const t = performance.now();
      await httpGet(url, agent, 5000);
      samples.push(performance.now() - t);
      await sleep(10);
    }
  } finally {
    agent.destroy();
  }
  return summarize(samples);
}

const MiB = 1024 * 1024;
/** Kinds of heap object listed per server. */
const TOP_KINDS = 14;

async function measure(
  ctx: BenchContext,
  server: 'parley' | 'baseline',
  node: NodeHandle,
  levels: number[],
  holdMs: number,
): Promise<Omit<ConnectionsRun, 'heap'>> {
  const probeUrl = `${node.url}${server === 'parley' ? '/api/config' : '/health'}`;
  await httpGet(probeUrl, undefined, 2000);
  await sleep(ctx.mode === 'smoke' ? 500 : 2000);
  const idleProbeMs = await probe(probeUrl, Math.min(holdMs, 3000));
  const idleRss = await rssBytes(node.proc.pid);
  const idleGc = await gcAndMemory(node.inspectPort!);
  const workers: Worker[] = [];
  const held: number[] = [];
  const out: ConnectionLevel[] = [];
  let connections = 0;
  try {
    for (const level of levels) {
      ctx.progress.step(`connections: ${server}, ${level} idle connections`);
      const ok = await connectSpread(ctx.group, workers, held, { url: node.url, count: level - connections }, (done) =>
        ctx.progress.update(`${connections + done}/${level} connected`),
      );
      if (ok < level - connections) throw new Error(`only ${ok} of ${level - connections} connections opened`);
      connections = level;
      // Let the arrival's own work (presence pushes, GC) settle before probing.
      await sleep(ctx.mode === 'smoke' ? 500 : level > 10_000 ? 8000 : 3000);
      ctx.progress.update('holding, probing the event loop');
      const probeMs = await probe(probeUrl, holdMs);
      const rss = await rssBytes(node.proc.pid);
      const gc = await gcAndMemory(node.inspectPort!);
      const per = (k: keyof MemoryUsage): number => round((gc[k] - idleGc[k]) / 1024 / level, 1);
      out.push({
        connections: level,
        rssMiB: round(rss / MiB, 1),
        kibPerConnection: round((rss - idleRss) / 1024 / level, 1),
        probeMs,
        afterGc: { rssKiB: per('rss'), heapUsedKiB: per('heapUsed'), externalKiB: per('external') },
      });
    }
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
  return { server, idleRssMiB: round(idleRss / MiB, 1), idleProbeMs, levels: out };
}

/**
 * What one connection is made of: heap snapshots before and after opening
 * `count` connections, by kind of object. Run on a fresh process: a heap
 * snapshot leaves the process's RSS inflated, so it must not precede an RSS
 * reading.
 */
async function census(ctx: BenchContext, server: 'parley' | 'baseline', node: NodeHandle, count: number): Promise<HeapCut> {
  ctx.progress.step(`connections: ${server}, heap snapshots around ${count} connections`);
  await sleep(ctx.mode === 'smoke' ? 300 : 1000);
  const before = await heapCensus(node.inspectPort!);
  const workers: Worker[] = [];
  try {
    const ok = await connectSpread(ctx.group, workers, [], { url: node.url, count }, (done) =>
      ctx.progress.update(`${done}/${count} connected`),
    );
    if (ok < count) throw new Error(`only ${ok} of ${count} connections opened`);
    await sleep(ctx.mode === 'smoke' ? 300 : 1000);
    // Compiled code grows with warm-up, not with connections.
    const shares = censusPerUnit(await heapCensus(node.inspectPort!), before, count).filter(
      (x) => x.kind !== '(compiled code)',
    );
    return { connections: count, bytesPerConnection: shares.reduce((sum, x) => sum + x.bytes, 0), top: shares.slice(0, TOP_KINDS) };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}

/** The many-idle-users step of a full run. */
export const MANY_IDLE = 50_000;
/** Files a server keeps besides its sockets (Redis, inspector, modules, probe). */
const FILE_MARGIN = 1000;

/**
 * The many-idle step this machine allows: a server holds a file per socket,
 * and an unprivileged process may raise its soft limit only up to the hard
 * one (raising the hard limit needs CAP_SYS_RESOURCE).
 */
export function planManyIdle(requested: number, limits = openFileLimits()): ManyIdlePlan {
  const fits = Math.floor((limits.hard - FILE_MARGIN) / 1000) * 1000;
  if (fits >= requested) return { requested, held: requested, openFileHardLimit: limits.hard };
  return {
    requested,
    held: fits,
    openFileHardLimit: limits.hard,
    limitedBy: `the open-file hard limit (${limits.hard}): a server needs a file per socket, and raising the hard limit needs CAP_SYS_RESOURCE`,
  };
}

export async function connections(ctx: BenchContext): Promise<ConnectionsResult> {
  const manyIdle = ctx.mode === 'full' ? planManyIdle(MANY_IDLE) : undefined;
  const levels = ctx.mode === 'smoke' ? [200, 400] : [5000, 10_000, ...(manyIdle && manyIdle.held > 10_000 ? [manyIdle.held] : [])];
  // Room for every socket plus the server's own files (prlimit raises the
  // soft limit up to the hard one); the load generator's workers each hold
  // SOCKETS_PER_WORKER sockets from their own loopback address.
  const limits = openFileLimits();
  const needed = Math.max(...levels) + FILE_MARGIN;
  const maxFiles = needed > limits.soft ? Math.min(needed, limits.hard) : undefined;
  const holdMs = ctx.mode === 'smoke' ? 1000 : ctx.mode === 'quick' ? 5000 : 10_000;

  const censusCount = ctx.mode === 'smoke' ? 200 : 2000;

  ctx.progress.step('connections: starting 1 parley node');
  const onParley = async (run: (node: NodeHandle) => Promise<void>): Promise<void> => {
    const cluster = await startCluster(ctx.group, 1, { cpuProfDir: ctx.cpuProfDir, inspect: true, maxFiles });
    try {
      await run(cluster.nodes[0]!);
    } finally {
      await stopCluster(ctx.group, cluster);
    }
  };
  const onBaseline = async (run: (node: NodeHandle) => Promise<void>): Promise<void> => {
    const redis = await startRedis(ctx.group);
    const base = await startBaseline(ctx.group, redis, { inspect: true, maxFiles });
    try {
      await run(base);
    } finally {
      await ctx.group.stop(base.proc);
      await ctx.group.stop(redis.proc);
    }
  };

  let parleyLevels!: Omit<ConnectionsRun, 'heap'>;
  let parleyHeap!: HeapCut;
  await onParley(async (node) => void (parleyLevels = await measure(ctx, 'parley', node, levels, holdMs)));
  await onParley(async (node) => void (parleyHeap = await census(ctx, 'parley', node, censusCount)));
  ctx.progress.step('connections: starting the bare Socket.IO relay');
  let baselineLevels!: Omit<ConnectionsRun, 'heap'>;
  let baselineHeap!: HeapCut;
  await onBaseline(async (node) => void (baselineLevels = await measure(ctx, 'baseline', node, levels, holdMs)));
  await onBaseline(async (node) => void (baselineHeap = await census(ctx, 'baseline', node, censusCount)));
  return {
    parley: { ...parleyLevels, heap: parleyHeap },
    baseline: { ...baselineLevels, heap: baselineHeap },
    ...(manyIdle ? { manyIdle } : {}),
  };
}
