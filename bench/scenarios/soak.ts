/**
 * soak: the workload model on one node (Redis + PostgreSQL) at 70 % of the
 * measured capacity for `--minutes`, sampling the node's RSS and heap, Redis
 * used memory and key count, and the PostgreSQL database size; reports each
 * one's slope over the second half (once steady) — the goal is flat.
 */
import type { DeliveryCounts } from '../../testkit/delivery-checker';
import { existsSync, readFileSync } from 'node:fs';
import type { BenchContext } from '../lib/context';
import { sleep } from '../lib/procs';
import { round, summarize, type Summary } from '../lib/stats';
import type { WorkloadModel } from '../workload/model';
import { keyShapes, sampleNode, sampleStores, slope } from '../workload/probes';
import { rampTo, startStand } from '../workload/stand';
import { capacity, capacityDefaults } from './capacity';

export const SOAK_SHARE = 0.7;

export interface SoakOptions {
  model: WorkloadModel;
  minutes: number;
  /** Users to hold; else 70 % of the 1-node capacity from `capacityFrom`, else measured now. */
  users?: number;
  capacityFrom?: string;
  /** Where `users` came from, when not from --users. */
  usersFrom?: string;
  processes: number;
}

export interface SoakSample {
  /** Seconds since the users were all there. */
  t: number;
  users: number;
  rssMiB: number;
  heapMiB: number;
  lagP99Ms: number;
  redisUsedMiB: number;
  redisKeys: number;
  pgSizeMiB: number;
}

export interface SoakResult {
  users: number;
  /** Where `users` came from. */
  usersFrom: string;
  minutes: number;
  samples: SoakSample[];
  /** Least-squares slope over the second half, per hour. */
  slopePerHour: { rssMiB: number; heapMiB: number; redisUsedMiB: number; redisKeys: number; pgSizeMiB: number };
  /** Redis keys by shape at the end, most numerous first. */
  keyShapes: { shape: string; keys: number; withTtl: number }[];
  waitMs: Summary;
  oneWayMs: Summary;
  violations: number;
  violationExamples: string[];
  /** The delivery checker's counts over every stream (testkit/delivery-checker.ts). */
  delivery: DeliveryCounts;
  tally: Record<string, number>;
  errors: Record<string, number>;
}

async function soakUsers(ctx: BenchContext, options: SoakOptions): Promise<{ users: number; from: string }> {
  if (options.users) return { users: options.users, from: options.usersFrom ?? '--users' };
  if (options.capacityFrom) {
    if (!existsSync(options.capacityFrom)) throw new Error(`--capacity-from: ${options.capacityFrom} not found`);
    const held = (JSON.parse(readFileSync(options.capacityFrom, 'utf8')) as { capacity?: { runs?: { nodes: number; largestHeld: number }[] } }).capacity?.runs?.find((r) => r.nodes === 1)?.largestHeld;
    if (!held) throw new Error(`--capacity-from: ${options.capacityFrom} holds no 1-node capacity`);
    return { users: Math.round(held * SOAK_SHARE), from: `70 % of ${held} (${options.capacityFrom})` };
  }
  const d = capacityDefaults(ctx.mode === 'full' ? 'quick' : ctx.mode);
  const measured = await capacity(ctx, { ...d, nodeCounts: [1], stepSeconds: Math.min(d.stepSeconds, 10), model: options.model });
  const held = measured.runs[0]?.largestHeld || d.steps[0]!;
  return { users: Math.max(2, Math.round(held * SOAK_SHARE)), from: `70 % of ${held} (measured now, 10 s steps)` };
}

export async function soak(ctx: BenchContext, options: SoakOptions): Promise<SoakResult> {
  const { users, from } = await soakUsers(ctx, options);
  ctx.progress.step(`soak: 1 node, Redis and PostgreSQL, ${users} users`);
  const stand = await startStand(ctx, 1, options.model, options.processes);
  const samples: SoakSample[] = [];
  let shapes: SoakResult['keyShapes'] = [];
  try {
    await rampTo(stand, users, options.model, options.processes, (n) => ctx.progress.update(`${n}/${users}`));
    stand.fleet.takeWindow();
    await sampleNode(stand.cluster.nodes[0]!);
    const t0 = Date.now();
    const end = t0 + options.minutes * 60_000;
    const every = Math.max(1000, Math.min(15_000, (options.minutes * 60_000) / 60));
    while (Date.now() < end) {
      await sleep(Math.min(every, end - Date.now()));
      const [node, stores] = await Promise.all([sampleNode(stand.cluster.nodes[0]!), sampleStores(stand.cluster.redis.port, stand.pg)]);
      samples.push({
        t: round((Date.now() - t0) / 1000, 1),
        users: stand.fleet.users(),
        rssMiB: round(node.rssMiB, 1),
        heapMiB: round(node.heapMiB, 1),
        lagP99Ms: round(node.lagP99Ms),
        redisUsedMiB: round(stores.redisUsedMiB, 2),
        redisKeys: stores.redisKeys,
        pgSizeMiB: round(stores.pgSizeMiB, 2),
      });
      ctx.progress.update(`${Math.round((Date.now() - t0) / 1000)} / ${options.minutes * 60} s, RSS ${round(node.rssMiB, 1)} MiB`);
    }
    shapes = await keyShapes(stand.cluster.redis.url);
  } finally {
    await stand.stop();
  }
  const win = stand.fleet.takeWindow();
  const half = samples.slice(Math.floor(samples.length / 2));
  const hours = half.map((s) => s.t / 3600);
  const per = (k: keyof SoakSample): number => round(slope(hours, half.map((s) => s[k])), 2);
  return {
    users,
    usersFrom: from,
    minutes: options.minutes,
    samples,
    slopePerHour: { rssMiB: per('rssMiB'), heapMiB: per('heapMiB'), redisUsedMiB: per('redisUsedMiB'), redisKeys: per('redisKeys'), pgSizeMiB: per('pgSizeMiB') },
    keyShapes: shapes,
    waitMs: summarize(win.waitsMs),
    oneWayMs: summarize(win.oneWayMs),
    violations: stand.fleet.ledger.total(),
    delivery: stand.fleet.ledger.delivery.report.counts,
    violationExamples: stand.fleet.ledger.examples,
    tally: { ...win.tally },
    errors: win.errors,
  };
}
