/**
 * redis-cluster: pair-burst and relay on a Redis Cluster (3 masters + 3
 * replicas, sharded adapter) next to the same on one redis-server (classic
 * adapter), in the same run, so the ratios cluster ÷ one Redis say what the
 * cluster costs on this machine. The code of pair-burst and relay is reused,
 * on one fleet of 3 nodes per backend, both fleets up for the whole scenario:
 *  - burst: N seekers at once over the 3 nodes, on each backend in turn;
 *  - fixed rate: P pairs across nodes 1 and 2, R msg/s each, on each backend
 *    in turn;
 *  - saturation: pairs on node 3 of each fleet, the fleets taking turns (the
 *    ratio is the median round's).
 */
import { backendCommands, phaseSeconds, startBackend, type Backend, type BackendKind } from '../lib/backend';
import { closeAll } from '../lib/clients';
import { startNodes, type NodeHandle } from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { sleep } from '../lib/procs';
import { round } from '../lib/stats';
import { burst, type PairBurstRun } from './pair-burst';
import { runFixedRate, type Pair } from '../lib/ledger';
import { pairUp, runSaturation, summarizeFixed, type FixedRateRun, type SaturationRun } from './relay';

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

interface Fleet {
  kind: BackendKind;
  backend: Backend;
  nodes: NodeHandle[];
}

async function startFleet(ctx: BenchContext, kind: BackendKind, firstId: number): Promise<Fleet> {
  ctx.progress.step(`redis-cluster: starting ${label(kind)} and 3 nodes`);
  const backend = await startBackend(ctx, kind);
  // The burst's seekers leave their chats as they disconnect, not 15 s later in the middle of the relay.
  const env = { ...backend.env, RESUME_GRACE_MS: '0' };
  const nodes = await startNodes(ctx.group, backend.target, 3, { env, cpuProfDir: ctx.cpuProfDir, firstId });
  return { kind, backend, nodes };
}

async function fixedOn(ctx: BenchContext, fleet: Fleet, pairs: number, rate: number): Promise<FixedRateRun> {
  const seconds = phaseSeconds(ctx);
  ctx.progress.step(`redis-cluster: relay on ${label(fleet.kind)}, ${pairs} pairs × ${rate} msg/s across 2 nodes for ${seconds} s`);
  const all = await pairUp(ctx, fleet.nodes[0]!.url, fleet.nodes[1]!.url, pairs, `rc-${fleet.kind}`);
  try {
    await sleep(500);
    const before = await backendCommands(fleet.backend);
    const ledger = await runFixedRate(ctx, all, rate, seconds);
    const after = await backendCommands(fleet.backend);
    return summarizeFixed(ledger, pairs, rate, seconds, after - before);
  } finally {
    closeAll(all.flatMap((p) => [p.a, p.b]));
  }
}

async function saturation(ctx: BenchContext, fleets: Fleet[], pairs: number, rounds: number): Promise<RedisClusterResult['saturation']> {
  ctx.progress.step(`redis-cluster: saturation of one node on each backend, ${pairs} pairs, ${rounds} round(s)`);
  const seconds = ctx.mode === 'smoke' ? 1 : Math.max(4, Math.round(Math.min(ctx.seconds, 10) * 0.6));
  const byKind = new Map<BackendKind, { fleet: Fleet; pairs: Pair[] }>();
  try {
    for (const fleet of fleets) {
      const node = fleet.nodes[2]!;
      byKind.set(fleet.kind, { fleet, pairs: await pairUp(ctx, node.url, node.url, pairs, `rcsat-${fleet.kind}`) });
    }
    const turn = async (kind: BackendKind): Promise<SaturationRun> => {
      const { fleet, pairs: own } = byKind.get(kind)!;
      const run = await runSaturation(ctx, 'parley', own, seconds, { server: fleet.nodes[2]!.proc.pid, redis: fleet.backend.pids() });
      for (const p of own) {
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
    for (const { pairs: own } of byKind.values()) closeAll(own.flatMap((p) => [p.a, p.b]));
  }
}

export async function redisCluster(ctx: BenchContext): Promise<RedisClusterResult> {
  const size = sizes(ctx.mode);
  const fleets: Fleet[] = [];
  try {
    for (const kind of KINDS) fleets.push(await startFleet(ctx, kind, fleets.length * 3 + 1));
    const bursts = new Map<BackendKind, PairBurstRun>();
    for (const fleet of fleets) {
      ctx.progress.step(`redis-cluster: pair-burst on ${label(fleet.kind)}, ${size.seekers} seekers over 3 nodes`);
      bursts.set(fleet.kind, await burst(ctx, fleet.backend, fleet.nodes.map((n) => n.url), size.seekers));
    }
    const fixed = new Map<BackendKind, FixedRateRun>();
    for (const fleet of fleets) fixed.set(fleet.kind, await fixedOn(ctx, fleet, size.pairs, size.rate));
    const sat = await saturation(ctx, fleets, size.satPairs, size.rounds);
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
      saturation: sat,
    };
  } finally {
    for (const fleet of fleets) {
      await Promise.all(fleet.nodes.map((n) => ctx.group.stop(n.proc)));
      await fleet.backend.stop();
    }
  }
}
