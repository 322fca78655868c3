/**
 * The Redis a scenario's nodes share, one redis-server or a Redis Cluster of
 * 3 masters and 3 replicas (testkit/redis-cluster, the one the jest
 * cluster tests use), behind one handle: what nodes connect to, which servers'
 * commands count, which processes use CPU, and a stop. The Redis Cluster
 * takes seconds to form, so one is started per run and shared: each fleet of
 * nodes on it gets a key prefix of its own (keys and adapter channels apart),
 * and the ProcessGroup removes it at the end of the run, on an error or Ctrl-C.
 */
import { commandCalls } from '../../test/helpers/cluster-metrics';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';
import { startRedis, type RedisTarget } from './cluster';
import type { BenchContext } from './context';
import type { ProcessGroup } from '../../testkit/processes';

/** `redis`: one redis-server (classic adapter); `cluster`: Redis Cluster (sharded adapter). */
export type BackendKind = 'redis' | 'cluster';

export interface Backend {
  kind: BackendKind;
  /** Pass to startNodes. */
  target: RedisTarget;
  /** Node settings for this fleet (its own REDIS_PREFIX): pass with the nodes' env. */
  env: { REDIS_PREFIX: string };
  /** The Redis Cluster itself, when kind is `cluster`. */
  cluster?: RedisClusterServer;
  /** Ports of the servers that run the nodes' commands: the one Redis, or the cluster's masters. */
  commandPorts(): Promise<number[]>;
  /** Process ids of every Redis server (masters and replicas). */
  pids(): number[];
  /** Stops the one Redis; a no-op for the shared cluster. */
  stop(): Promise<void>;
}

const clusters = new WeakMap<ProcessGroup, Promise<RedisClusterServer>>();
let fleets = 0;

/** The run's Redis Cluster, started on first use. */
function sharedCluster(ctx: BenchContext): Promise<RedisClusterServer> {
  let cluster = clusters.get(ctx.group);
  if (!cluster) {
    cluster = startRedisCluster();
    clusters.set(ctx.group, cluster);
    const pending = cluster;
    ctx.group.defer(async () => {
      clusters.delete(ctx.group);
      await (await pending.catch(() => undefined))?.stop();
    });
  }
  return cluster;
}

export async function startBackend(ctx: BenchContext, kind: BackendKind): Promise<Backend> {
  const env = { REDIS_PREFIX: `bench${++fleets}` };
  if (kind === 'redis') {
    const redis = await startRedis(ctx.group);
    return {
      kind,
      env,
      target: redis,
      commandPorts: async () => [redis.port],
      pids: () => [redis.proc.pid],
      stop: () => ctx.group.stop(redis.proc),
    };
  }
  const cluster = await sharedCluster(ctx);
  return {
    kind,
    env,
    target: cluster,
    cluster,
    commandPorts: () => cluster.masters(),
    pids: () => cluster.ports.map((port) => cluster.pid(port)).filter((pid): pid is number => pid !== undefined),
    stop: async () => undefined,
  };
}

/** Commands the backend's masters ran so far, summed. */
export async function backendCommands(backend: Backend): Promise<number> {
  const counts = await Promise.all((await backend.commandPorts()).map(commandCalls));
  return counts.reduce((x, y) => x + y, 0);
}

/** Length of a timed phase in the Redis Cluster scenarios: 1 s in --smoke (they add three scenarios to CI's smoke run), else --seconds. */
export const phaseSeconds = (ctx: BenchContext): number => (ctx.mode === 'smoke' ? Math.min(ctx.seconds, 1) : ctx.seconds);
