/**
 * relay: chat messages between paired users.
 *  - fixed rate: P pairs, one user of each on node 1 and the other on node 2,
 *    each pair sending R messages/s (alternating direction) for a while;
 *    one-way latency (sender and receiver share this process's clock), lost,
 *    duplicated, reordered.
 *  - saturation: pairs on one node pumping with a fixed window of messages
 *    in flight per direction; delivered messages/s for parley and for the
 *    bare Socket.IO relay (bench/baseline-server.ts) through the same adapter.
 *  - paced: the same pairs sending PACED_RATE messages/s in total, open loop;
 *    server CPU per delivered message for both servers (what a message costs
 *    below saturation, where a node spends its life).
 */
import { performance } from 'node:perf_hooks';
import { closeAll, connect, pool, request, type Client } from '../lib/clients';
import {
  commandStats,
  diffStats,
  startBaseline,
  startCluster,
  startRedis,
  stopCluster,
  total,
  TripCounter,
  type NodeHandle,
} from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { cpuSeconds, sleep } from '../lib/procs';
import { Ledger, runFixedRate, type Pair } from '../lib/ledger';
import { round, summarize, type Summary } from '../lib/stats';
import { tripsPer, type Trips } from './pair-burst';

const SATURATION_WINDOW = 8;
/** Messages/s of the paced CPU comparison (the 2,500; smoke runs less). */
export const PACED_RATE = 2500;
const SMOKE_PACED_RATE = 500;

/** `count` pairs, user a of each on `urlA` and b on `urlB`, paired by an interest of their own. */
export async function pairUp(ctx: BenchContext, urlA: string, urlB: string, count: number, tag: string): Promise<Pair[]> {
  return pool(count, 25, async (i) => {
    const [a, b] = await Promise.all([connect(urlA), connect(urlB)]);
    const matched = Promise.all([a, b].map((c) => new Promise((resolve) => c.once('matched', resolve))));
    const interests = [`${tag}-${i}`];
    const ra = await request(a, 'find-match', { interests });
    const rb = await request(b, 'find-match', { interests });
    if (!ra.ok || !rb.ok) throw new Error(`find-match refused while pairing: ${JSON.stringify([ra, rb])}`);
    const timeout = sleep(10_000).then(() => {
      throw new Error('pair not matched within 10 s');
    });
    await Promise.race([matched, timeout]);
    return { a, b };
  }, (done) => ctx.progress.update(`paired ${done}/${count}`));
}

async function baselinePairs(url: string, count: number): Promise<Pair[]> {
  return pool(count, 25, async (i) => {
    const [a, b] = await Promise.all([
      connect(url, { auth: { userId: `a${i}`, partnerId: `b${i}` } }),
      connect(url, { auth: { userId: `b${i}`, partnerId: `a${i}` } }),
    ]);
    return { a, b };
  });
}

export interface FixedRateRun {
  pairs: number;
  ratePerPair: number;
  seconds: number;
  sent: number;
  rejected: number;
  lost: number;
  duplicated: number;
  reordered: number;
  oneWayMs: Summary;
  ackMs: Summary;
  /** Redis commands per message from INFO commandstats, script-internal calls included. */
  redisCommandsPerMessage: number;
}

export interface SaturationRun {
  server: 'parley' | 'baseline';
  pairs: number;
  window: number;
  seconds: number;
  deliveredPerSecond: number;
  oneWayMs: Summary;
  /** Server process CPU per delivered message, µs. */
  serverCpuUsPerMessage: number;
  /** Redis CPU per delivered message, µs. */
  redisCpuUsPerMessage: number;
}

/** Closed loop: each direction keeps SATURATION_WINDOW messages in flight. */
/** CPU seconds of every Redis server a run uses (one, or a cluster's masters and replicas). */
async function redisCpu(pids: readonly number[]): Promise<number> {
  return (await Promise.all(pids.map(cpuSeconds))).reduce((x, y) => x + y, 0);
}

export async function runSaturation(
  ctx: BenchContext,
  server: 'parley' | 'baseline',
  pairs: Pair[],
  seconds: number,
  pids: { server: number; redis: number[] },
): Promise<SaturationRun> {
  const ledger = new Ledger(pairs);
  let running = true;
  ledger.recording = false;
  ledger.onDeliver = (d) => {
    if (running) ledger.send(d);
  };
  for (let d = 0; d < pairs.length * 2; d++) for (let k = 0; k < SATURATION_WINDOW; k++) ledger.send(d);
  await sleep(1000); // warm-up
  ledger.recording = true;
  const r0 = ledger.received;
  const cpu0 = [await cpuSeconds(pids.server), await redisCpu(pids.redis)];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await sleep(250);
    ctx.progress.update(`${server}: ${Math.round((ledger.received - r0) / ((performance.now() - t0) / 1000))} msg/s`);
  }
  const delivered = ledger.received - r0;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu1 = [await cpuSeconds(pids.server), await redisCpu(pids.redis)];
  running = false;
  ledger.recording = false;
  await ledger.drain(3000);
  return {
    server,
    pairs: pairs.length,
    window: SATURATION_WINDOW,
    seconds: round(elapsed, 1),
    deliveredPerSecond: Math.round(delivered / elapsed),
    oneWayMs: summarize(ledger.latencies),
    serverCpuUsPerMessage: round(((cpu1[0]! - cpu0[0]!) * 1e6) / delivered, 1),
    redisCpuUsPerMessage: round(((cpu1[1]! - cpu0[1]!) * 1e6) / delivered, 1),
  };
}

export interface SaturationRound {
  parley: SaturationRun;
  baseline: SaturationRun;
  ratio: number;
}

export interface PacedRun {
  server: 'parley' | 'baseline';
  /** Messages/s offered, spread evenly over time and over the pairs. */
  ratePerSecond: number;
  seconds: number;
  deliveredPerSecond: number;
  lost: number;
  oneWayMs: Summary;
  /** Server process CPU per delivered message, µs (its idle timers included). */
  serverCpuUsPerMessage: number;
  redisCpuUsPerMessage: number;
}

export interface PacedRound {
  parley: PacedRun;
  baseline: PacedRun;
  /** parley's server CPU per message ÷ the baseline's. */
  cpuRatio: number;
}

/** Open loop at a fixed total rate; CPU of the server and its Redis over the run. */
async function runPaced(
  ctx: BenchContext,
  server: 'parley' | 'baseline',
  pairs: Pair[],
  ratePerSecond: number,
  seconds: number,
  pids: { server: number; redis: number[] },
): Promise<PacedRun> {
  const cpu0 = [await cpuSeconds(pids.server), await redisCpu(pids.redis)];
  const ledger = await runFixedRate(ctx, pairs, ratePerSecond / pairs.length, seconds);
  const cpu1 = [await cpuSeconds(pids.server), await redisCpu(pids.redis)];
  const delivered = Math.max(1, ledger.received);
  return {
    server,
    ratePerSecond,
    seconds,
    deliveredPerSecond: Math.round(ledger.received / seconds),
    lost: Math.max(0, ledger.sent - ledger.ackFailed - ledger.received),
    oneWayMs: summarize(ledger.latencies),
    serverCpuUsPerMessage: round(((cpu1[0]! - cpu0[0]!) * 1e6) / delivered, 1),
    redisCpuUsPerMessage: round(((cpu1[1]! - cpu0[1]!) * 1e6) / delivered, 1),
  };
}

const median = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;

export interface RelayResult {
  fixed: FixedRateRun[];
  /** The median round (by ratio), and every round. */
  saturation: SaturationRound & { rounds: SaturationRound[] };
  /** The median round (by CPU ratio), and every round. */
  paced: PacedRound & { rounds: PacedRound[] };
  trips: Trips;
}

export function summarizeFixed(ledger: Ledger, pairs: number, rate: number, seconds: number, commands: number): FixedRateRun {
  return {
    pairs,
    ratePerPair: rate,
    seconds,
    sent: ledger.sent,
    rejected: ledger.ackFailed,
    lost: Math.max(0, ledger.sent - ledger.ackFailed - ledger.received),
    duplicated: ledger.duplicated,
    reordered: ledger.reordered,
    oneWayMs: summarize(ledger.latencies),
    ackMs: summarize(ledger.ackLatencies),
    redisCommandsPerMessage: ledger.received ? round(commands / ledger.received, 2) : 0,
  };
}

export async function relay(ctx: BenchContext): Promise<RelayResult> {
  const smoke = ctx.mode === 'smoke';
  const loads: [number, number][] = smoke ? [[10, 5]] : [[50, 5], [250, 5], [500, 5]];
  const seconds = ctx.seconds;
  const fixed: FixedRateRun[] = [];
  let trips: Trips;

  ctx.progress.step('relay: 2 nodes, pairing across them');
  const cluster = await startCluster(ctx.group, 2, { cpuProfDir: ctx.cpuProfDir });
  const [n1, n2] = cluster.nodes as [NodeHandle, NodeHandle];
  try {
    const maxPairs = Math.max(...loads.map(([p]) => p));
    const allPairs = await pairUp(ctx, n1.url, n2.url, maxPairs, 'relay');

    ctx.progress.step('relay: Redis round trips per message');
    {
      const few = allPairs.slice(0, Math.min(20, allPairs.length));
      const idle = new TripCounter();
      await idle.start(cluster.redis.port);
      const idleStart = Date.now();
      await sleep(smoke ? 1000 : 2000);
      idle.stop();
      const idleMs = Date.now() - idleStart;
      const counter = new TripCounter();
      await counter.start(cluster.redis.port);
      const start = Date.now();
      const ledger = await runFixedRate(ctx, few, 10, 1);
      counter.stop();
      const t = tripsPer(counter, idle, (Date.now() - start) / idleMs, ledger.received);
      trips = t;
      for (const p of few) {
        p.a.removeAllListeners('message');
        p.b.removeAllListeners('message');
      }
    }

    for (const [p, rate] of loads) {
      ctx.progress.step(`relay: ${p} pairs × ${rate} msg/s across 2 nodes for ${seconds} s`);
      const pairs = allPairs.slice(0, p);
      await sleep(500);
      const before = await commandStats(cluster.redis.port);
      const ledger = await runFixedRate(ctx, pairs, rate, seconds);
      const after = await commandStats(cluster.redis.port);
      fixed.push(summarizeFixed(ledger, p, rate, seconds, total(diffStats(after, before))));
      for (const pair of pairs) {
        pair.a.removeAllListeners('message');
        pair.b.removeAllListeners('message');
      }
    }
    closeAll(allPairs.flatMap((p) => [p.a, p.b]));
  } finally {
    await stopCluster(ctx.group, cluster);
  }

  const satPairs = smoke ? 10 : 100;
  const rounds = smoke ? 1 : ctx.mode === 'quick' ? 2 : 3;
  const satSeconds = smoke ? 2 : Math.max(4, Math.round(Math.min(seconds, 10) * 0.6));

  // Both servers stay up and take turns, so drift of the shared machine
  // falls on both; the ratio reported is the median of the rounds'.
  ctx.progress.step(`relay: saturation, parley and the bare Socket.IO relay, ${satPairs} pairs, ${rounds} round(s)`);
  const one = await startCluster(ctx.group, 1, { cpuProfDir: ctx.cpuProfDir });
  const baseRedis = await startRedis(ctx.group);
  const base = await startBaseline(ctx.group, baseRedis);
  const satRounds: SaturationRound[] = [];
  const pacedRounds: PacedRound[] = [];
  const pacedRate = smoke ? SMOKE_PACED_RATE : PACED_RATE;
  try {
    const node = one.nodes[0]!;
    const parleyPairs = await pairUp(ctx, node.url, node.url, satPairs, 'sat');
    const basePairs = await baselinePairs(base.url, satPairs);
    const turn = async <T>(server: 'parley' | 'baseline', run: (pairs: Pair[], pids: { server: number; redis: number[] }) => Promise<T>): Promise<T> => {
      const pairs = server === 'parley' ? parleyPairs : basePairs;
      const pids =
        server === 'parley'
          ? { server: node.proc.pid, redis: [one.redis.proc.pid] }
          : { server: base.proc.pid, redis: [baseRedis.proc.pid] };
      const result = await run(pairs, pids);
      for (const pair of pairs) {
        pair.a.removeAllListeners('message');
        pair.b.removeAllListeners('message');
      }
      await sleep(500);
      return result;
    };
    const saturate = (server: 'parley' | 'baseline'): Promise<SaturationRun> => {
      ctx.progress.step(`relay: ${server} saturated for ${satSeconds} s`);
      return turn(server, (pairs, pids) => runSaturation(ctx, server, pairs, satSeconds, pids));
    };
    const pace = (server: 'parley' | 'baseline'): Promise<PacedRun> => {
      ctx.progress.step(`relay: ${server} paced at ${pacedRate} msg/s for ${satSeconds} s`);
      return turn(server, (pairs, pids) => runPaced(ctx, server, pairs, pacedRate, satSeconds, pids));
    };
    for (let r = 0; r < rounds; r++) {
      const parley = await saturate('parley');
      const baseline = await saturate('baseline');
      satRounds.push({ parley, baseline, ratio: round(parley.deliveredPerSecond / baseline.deliveredPerSecond) });
      const pacedParley = await pace('parley');
      const pacedBaseline = await pace('baseline');
      pacedRounds.push({
        parley: pacedParley,
        baseline: pacedBaseline,
        cpuRatio: round(pacedParley.serverCpuUsPerMessage / pacedBaseline.serverCpuUsPerMessage),
      });
    }
    closeAll([...parleyPairs, ...basePairs].flatMap((p) => [p.a, p.b]));
  } finally {
    await stopCluster(ctx.group, one);
    await ctx.group.stop(base.proc);
    await ctx.group.stop(baseRedis.proc);
  }
  return {
    fixed,
    saturation: { ...median(satRounds, (x) => x.ratio), rounds: satRounds },
    paced: { ...median(pacedRounds, (x) => x.cpuRatio), rounds: pacedRounds },
    trips,
  };
}
