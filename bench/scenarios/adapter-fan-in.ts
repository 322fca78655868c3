/**
 * adapter-fan-in: how many pub/sub messages each of 3 nodes receives per chat
 * message relayed, with one Redis (classic Socket.IO adapter: every emit goes
 * to every node) and with a Redis Cluster (sharded adapter: an emit goes only
 * to the nodes subscribed to the room it is for). Pairs sit across nodes and
 * chat at a fixed rate; each node's `parley_adapter_messages_received_total`
 * (its /metrics, read as the jest test reads it) is taken before and after.
 */
import { adapterMessagesReceived } from '../../test/helpers/cluster-metrics';
import { phaseSeconds, startBackend, type BackendKind } from '../lib/backend';
import { closeAll } from '../lib/clients';
import { startNodes } from '../lib/cluster';
import type { BenchContext } from '../lib/context';
import { sleep } from '../lib/procs';
import { round } from '../lib/stats';
import { runFixedRate, type Pair } from '../lib/ledger';
import { pairUp } from './relay';

/** The target with the sharded adapter: pub/sub messages received by all nodes together per message relayed. */
export const FAN_IN_LIMIT = 1.2;

export interface FanInRun {
  backend: BackendKind;
  pairs: number;
  /** Messages delivered to their recipient over the phase. */
  relayed: number;
  lost: number;
  /** Pub/sub messages each node received per message relayed. */
  perNode: number[];
  /** All nodes together. */
  total: number;
}

export interface AdapterFanInResult {
  nodes: number;
  ratePerPair: number;
  seconds: number;
  runs: FanInRun[];
}

async function fanIn(ctx: BenchContext, kind: BackendKind, pairCount: number, rate: number): Promise<FanInRun> {
  ctx.progress.step(`adapter-fan-in: ${kind === 'cluster' ? 'Redis Cluster, sharded adapter' : 'one Redis, classic adapter'}, 3 nodes, ${pairCount} pairs`);
  const backend = await startBackend(ctx, kind);
  const nodes = await startNodes(ctx.group, backend.target, 3, { env: backend.env, cpuProfDir: ctx.cpuProfDir });
  const pairs: Pair[] = [];
  try {
    const urls = nodes.map((n) => n.url);
    for (let k = 0; k < 3; k++) {
      const n = Math.floor(pairCount / 3) + (k < pairCount % 3 ? 1 : 0);
      pairs.push(...(await pairUp(ctx, urls[k]!, urls[(k + 1) % 3]!, n, `fan${k}`)));
    }
    await sleep(500);
    const before = await Promise.all(urls.map(adapterMessagesReceived));
    const ledger = await runFixedRate(ctx, pairs, rate, phaseSeconds(ctx));
    await sleep(200);
    const after = await Promise.all(urls.map(adapterMessagesReceived));
    const relayed = ledger.received;
    const perNode = after.map((n, i) => (relayed ? round((n - before[i]!) / relayed, 3) : NaN));
    return {
      backend: kind,
      pairs: pairs.length,
      relayed,
      lost: Math.max(0, ledger.sent - ledger.ackFailed - ledger.received),
      perNode,
      total: round(perNode.reduce((x, y) => x + y, 0), 3),
    };
  } finally {
    closeAll(pairs.flatMap((p) => [p.a, p.b]));
    await Promise.all(nodes.map((n) => ctx.group.stop(n.proc)));
    await backend.stop();
  }
}

export async function adapterFanIn(ctx: BenchContext): Promise<AdapterFanInResult> {
  const pairs = ctx.mode === 'smoke' ? 6 : ctx.mode === 'quick' ? 60 : 150;
  const rate = 5;
  const runs = [await fanIn(ctx, 'redis', pairs, rate), await fanIn(ctx, 'cluster', pairs, rate)];
  return { nodes: 3, ratePerPair: rate, seconds: phaseSeconds(ctx), runs };
}
