/**
 * redis-cluster: pair-burst and relay on a Redis Cluster (3 masters + 3
 * replicas, sharded adapter) next to the same on one redis-server (classic
 * adapter), in the same run, so the ratios cluster ÷ one Redis say what the
 * cluster costs on this machine. The code of pair-burst and relay is reused:
 *  - burst: N seekers at once over 3 nodes, on each backend in turn;
 *  - fixed rate: P pairs across 2 nodes, R msg/s each, on each backend in turn;
 *  - saturation: one node on each backend, both up, taking turns (the ratio
 *    is the median round's).
 */
import { backendCommands, phaseSeconds, startBackend, type Backend, type BackendKind } from '../lib/backend';
import { closeAll } from '../lib/clients';
import { startNodes, type NodeHandle } from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { sleep } from '../lib/procs';
import { round } from '../lib/stats';
import { burstOnce, type PairBurstRun } from './pair-burst';
import { pairUp, runFixedRate, runSaturation, summarizeFixed, type FixedRateRun, type Pair, type SaturationRun } from './relay';

export interface RedisClusterResult {
  burst: { redis: PairBurstRun; cluster: PairBurstRun; p99Ratio: number; allPairedRatio: number | null };
  fixed: { redis: FixedRateRun; cluster: FixedRateRun; p99Ratio: number };
  saturation: {
    pairs: number;
    rounds: { redis: SaturationRun; cluster: SaturationRun; ratio: number }[];
    /** Delivered msg/s on the cluster ÷ on one Redis, median round. */
    ratio: number;
  };
}

function sizes(mode: BenchContext['mode']) {
  if (mode === 'smoke') return { seekers: 20, pairs: 10, rate: 5, satPairs: 10, rounds: 1 };
  if (mode === 'quick') return { seekers: 1000, pairs: 100, rate: 5, satPairs: 50, rounds: 2 };
  return { seekers: 2000, pairs: 250, rate: 5, satPairs: 100, rounds: 3 };
}

const KINDS: BackendKind[] = ['redis', 'cluster'];
const label = (kind: BackendKind) => (kind === 'cluster' ? 'Redis Cluster' : 'one Redis');
const ratio = (a: number | null, b: number | null): number | null => (a !== null && b !== null && b > 0 ? round(a / b) : null);

async function stopFleet(ctx: BenchContext, backend: Backend, nodes: NodeHandle[]): Promise<void> {
  await Promise.all(nodes.map((n) => ctx.group.stop(n.proc)));
  await backend.stop();
}

async function fixedOn(ctx: BenchContext, kind: BackendKind, pairs: number, rate: number): Promise<FixedRateRun> {
  const seconds = phaseSeconds(ctx);
  ctx.progress.step(`redis-cluster: relay on ${label(kind)}, ${pairs} pairs × ${rate} msg/s across 2 nodes for ${seconds} s`);
  const backend = await startBackend(ctx, kind);
  const nodes = await startNodes(ctx.group, backend.target, 2, { env: backend.env, cpuProfDir: ctx.cpuProfDir });
  try {
    const all = await pairUp(ctx, nodes[0]!.url, nodes[1]!.url, pairs, `rc-${kind}`);
    await sleep(500);
    const before = await backendCommands(backend);
    const ledger = await runFixedRate(ctx, all, rate, seconds);
    const after = await backendCommands(backend);
    closeAll(all.flatMap((p) => [p.a, p.b]));
    return summarizeFixed(ledger, pairs, rate, seconds, after - before);
  } finally {
    await stopFleet(ctx, backend, nodes);
  }
}

async function saturation(ctx: BenchContext, pairs: number, rounds: number): Promise<RedisClusterResult['saturation']> {
  ctx.progress.step(`redis-cluster: saturation of one node on each backend, ${pairs} pairs, ${rounds} round(s)`);
  const seconds = ctx.mode === 'smoke' ? 1 : Math.max(4, Math.round(Math.min(ctx.seconds, 10) * 0.6));
  const fleets = new Map<BackendKind, { backend: Backend; node: NodeHandle; pairs: Pair[] }>();
  try {
    for (const kind of KINDS) {
      const backend = await startBackend(ctx, kind);
      const [node] = await startNodes(ctx.group, backend.target, 1, { env: backend.env, cpuProfDir: ctx.cpuProfDir, firstId: kind === 'cluster' ? 2 : 1 });
      fleets.set(kind, { backend, node: node!, pairs: [] });
      fleets.get(kind)!.pairs = await pairUp(ctx, node!.url, node!.url, pairs, `rcsat-${kind}`);
    }
    const turn = async (kind: BackendKind): Promise<SaturationRun> => {
      const f = fleets.get(kind)!;
      const run = await runSaturation(ctx, 'parley', f.pairs, seconds, { server: f.node.proc.pid, redis: f.backend.pids() });
      for (const p of f.pairs) {
        p.a.removeAllListeners('message');
        p.b.removeAllListeners('message');
      }
      return run;
    };
    const out: RedisClusterResult['saturation']['rounds'] = [];
    for (let r = 0; r < rounds; r++) {
      const redis = await turn('redis');
      const cluster = await turn('cluster');
      out.push({ redis, cluster, ratio: round(cluster.deliveredPerSecond / redis.deliveredPerSecond) });
    }
    const median = [...out].sort((x, y) => x.ratio - y.ratio)[Math.floor(out.length / 2)]!;
    return { pairs, rounds: out, ratio: median.ratio };
  } finally {
    for (const f of fleets.values()) {
      closeAll(f.pairs.flatMap((p) => [p.a, p.b]));
      await stopFleet(ctx, f.backend, [f.node]);
    }
  }
}

export async function redisCluster(ctx: BenchContext): Promise<RedisClusterResult> {
  const size = sizes(ctx.mode);
  const bursts = new Map<BackendKind, PairBurstRun>();
  for (const kind of KINDS) {
    ctx.progress.step(`redis-cluster: pair-burst on ${label(kind)}, ${size.seekers} seekers over 3 nodes`);
    bursts.set(kind, await burstOnce(ctx, size.seekers, 3, kind));
  }
  const fixed = new Map<BackendKind, FixedRateRun>();
  for (const kind of KINDS) fixed.set(kind, await fixedOn(ctx, kind, size.pairs, size.rate));
  const redisBurst = bursts.get('redis')!;
  const clusterBurst = bursts.get('cluster')!;
  const redisFixed = fixed.get('redis')!;
  const clusterFixed = fixed.get('cluster')!;
  return {
    burst: {
      redis: redisBurst,
      cluster: clusterBurst,
      p99Ratio: ratio(clusterBurst.latencyMs.p99, redisBurst.latencyMs.p99) ?? NaN,
      allPairedRatio: ratio(clusterBurst.allPairedMs, redisBurst.allPairedMs),
    },
    fixed: { redis: redisFixed, cluster: clusterFixed, p99Ratio: ratio(clusterFixed.oneWayMs.p99, redisFixed.oneWayMs.p99) ?? NaN },
    saturation: await saturation(ctx, size.satPairs, size.rounds),
  };
}
