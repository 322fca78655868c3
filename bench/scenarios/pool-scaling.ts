/**
 * pool-scaling: the latency of pairing two fresh compatible seekers while
 * the pool already holds W waiters that are ineligible for them. Each waiter
 * searches with an interest of its own (so no two waiters suit each other, nor
 * the probes), and RANDOM_FALLBACK_MS is an hour, so none falls back to
 * "anyone" during the run. Probes share the interest "probe".
 */
import { performance } from 'node:perf_hooks';
import { connect, pool, request, type Client } from '../lib/clients';
import { startCluster, stopCluster } from '../lib/cluster';
import { httpGet } from '../../testkit/http';
import type { BenchContext } from '../lib/context';
import { sleep } from '../lib/procs';
import { round, summarize, type Summary } from '../lib/stats';
import { connectSpread, type Worker } from '../lib/workers';

export interface PoolLevel {
  waiters: number;
  /** Waiting users /stats reported before the probes. */
  waitingReported: number;
  trials: number;
  failed: number;
  /** From the second probe's `find-match` to both probes holding `matched`. */
  latencyMs: Summary;
}

export interface PoolScalingResult {
  levels: PoolLevel[];
  /** p99 at the largest pool ÷ p99 at the smallest. */
  p99Ratio: number;
  p50Ratio: number;
}

function onceMatched(c: Client): Promise<number> {
  return new Promise((resolve) => c.once('matched', () => resolve(performance.now())));
}

async function trial(url: string): Promise<number | null> {
  const [a, b] = await Promise.all([connect(url), connect(url)]);
  try {
    const aMatched = onceMatched(a);
    const first = await request(a, 'find-match', { interests: ['probe'] });
    if (!first.ok) return null;
    const bMatched = onceMatched(b);
    const t0 = performance.now();
    b.emit('find-match', { interests: ['probe'] });
    const timeout = sleep(5000).then(() => -1);
    const done = await Promise.race([Promise.all([aMatched, bMatched]).then((t) => Math.max(...t)), timeout]);
    return done < 0 ? null : done - t0;
  } finally {
    a.close();
    b.close();
  }
}

export async function poolScaling(ctx: BenchContext): Promise<PoolScalingResult> {
  const levels = ctx.mode === 'smoke' ? [10, 100] : [10, 1000, 10_000];
  const trials = ctx.mode === 'smoke' ? 10 : ctx.mode === 'quick' ? 100 : 300;
  ctx.progress.step('pool-scaling: starting 1 node');
  const cluster = await startCluster(ctx.group, 1, {
    env: { RANDOM_FALLBACK_MS: '3600000', MATCH_COOLDOWN_MS: '0' },
    cpuProfDir: ctx.cpuProfDir,
  });
  const url = cluster.nodes[0]!.url;
  const workers: Worker[] = [];
  const held: number[] = [];
  const out: PoolLevel[] = [];
  let waiters = 0;
  try {
    for (const level of levels) {
      ctx.progress.step(`pool-scaling: ${level} ineligible waiters`);
      const add = level - waiters;
      const ok = await connectSpread(ctx.group, workers, held, { url, count: add, interestPrefix: 'w', offset: waiters }, (done) =>
        ctx.progress.update(`waiters ${waiters + done}/${level}`),
      );
      if (ok < add) throw new Error(`only ${ok} of ${add} waiters connected`);
      waiters = level;
      await sleep(ctx.mode === 'smoke' ? 500 : 2500);
      const stats = JSON.parse((await httpGet(`${url}/stats`, undefined, 2000)).body) as { waiting: number };
      // Warm-up, then sequential trials.
      for (let i = 0; i < 30; i++) await trial(url);
      const latencies: number[] = [];
      let failed = 0;
      await pool(trials, 1, async (i) => {
        const ms = await trial(url);
        if (ms === null) failed++;
        else latencies.push(ms);
        if (i % 10 === 0) ctx.progress.update(`trial ${i}/${trials}`);
      });
      out.push({ waiters: level, waitingReported: stats.waiting, trials, failed, latencyMs: summarize(latencies) });
    }
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await stopCluster(ctx.group, cluster);
  }
  const first = out[0]!.latencyMs;
  const last = out[out.length - 1]!.latencyMs;
  return { levels: out, p99Ratio: round(last.p99 / first.p99), p50Ratio: round(last.p50 / first.p50) };
}
