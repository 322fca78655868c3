/**
 * The chaos run on a Redis Cluster (3 masters, 3 replicas): clients on three
 * nodes find, cancel, skip, leave, block, chat, drop and come back; afterwards
 * every matchmaking and relay invariant holds, as on one Redis. CHAOS_SEED
 * fixes the seed; it is printed, and a failure names it.
 */
import { formatReport, runChaos } from './run';

const seconds = Number(process.env.CHAOS_SECONDS ?? 6);
const clients = Number(process.env.CHAOS_CLIENTS ?? 150);
const seed = Number(process.env.CHAOS_SEED || Date.now() % 1_000_000);

test(`${clients} clients for ${seconds} s on three nodes and a Redis Cluster (seed ${seed}): every invariant holds`, async () => {
  console.log(`chaos on Redis Cluster, seed ${seed}; replay: CHAOS_SEED=${seed} npx jest test/chaos/chaos-cluster.test.ts`);
  const report = await runChaos({ seconds, clients, seed, redis: 'cluster' });
  console.log(formatReport(report));
  const problems = [
    ...report.crashes.map((err) => `crash: ${String(err)}`),
    ...[...report.violations].flatMap(([rule, list]) => list.slice(0, 10).map((v) => `${rule}: ${v}`)),
    ...(Number(report.stats.pairs) > clients / 2 ? [] : [`only ${report.stats.pairs} pairs formed`]),
    ...(Number(report.stats['messages accepted']) > 0 ? [] : ['no message accepted']),
  ];
  if (problems.length > 0) throw new Error(`chaos run on Redis Cluster with seed ${seed} failed\n${problems.join('\n')}`);
}, (seconds + 90) * 1000);
