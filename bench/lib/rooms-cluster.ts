/**
 * What the room scenarios run on: a throwaway PostgreSQL, a redis-server and
 * parley nodes with REDIS_URL and DATABASE_URL (so each node runs the room
 * archiver as in production) and the room limits raised for the load
 * generator. Everything is stopped by the caller's ProcessGroup too.
 */
import path from 'node:path';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { ROOM_LOAD_ENV, startNodes, startRedis, type NodeHandle, type RedisHandle } from './cluster';
import type { BenchContext } from './context';
import { cpuMeter, postmasterPid, type CpuShare } from './cpu-meter';
import { sleep } from './procs';
import { round } from './stats';

export interface RoomsCluster {
  redis: RedisHandle;
  postgres: PostgresServer;
  nodes: NodeHandle[];
  /** Starts measuring CPU by process group; the returned function ends the phase. */
  meter(): () => CpuShare;
  /** CPU seconds per second the nodes spend with no load (heartbeats, reaper, archiver polls), measured over `seconds`. */
  idleNodeCpu(seconds: number): Promise<number>;
  stop(): Promise<void>;
}

export interface RoomsClusterOptions {
  /**
   * Open each node's inspector instead of --cpu-prof when the run profiles:
   * the caller then profiles chosen windows (bench/lib/inspector.ts startCpuProfile).
   */
  profileWindows?: boolean;
}

export async function startRoomsCluster(
  ctx: BenchContext,
  nodes: number,
  env: Record<string, string> = {},
  clusterOptions: RoomsClusterOptions = {},
): Promise<RoomsCluster> {
  const postgres = await startPostgres({ database: 'parley_bench' });
  const stopPostgres = () => postgres.stop();
  ctx.group.defer(stopPostgres);
  const redis = await startRedis(ctx.group);
  // The first node migrates the fresh database alone; the others then find it up to date.
  const windows = Boolean(clusterOptions.profileWindows && ctx.cpuProfDir);
  const options = {
    env: { ...ROOM_LOAD_ENV, ...env, DATABASE_URL: postgres.url },
    cpuProfDir: windows ? undefined : ctx.cpuProfDir,
    inspect: windows,
    readyTimeoutMs: 60_000,
  };
  const handles = await startNodes(ctx.group, redis, 1, options);
  if (nodes > 1) handles.push(...(await startNodes(ctx.group, redis, nodes - 1, { ...options, firstId: 2 })));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all(handles.map((n) => ctx.group.stop(n.proc)));
      await ctx.group.stop(redis.proc);
      await ctx.group.runDeferred(stopPostgres);
    })());
  const meter = () =>
    cpuMeter({ nodes: handles.map((n) => n.proc.pid), redis: redis.proc.pid, postmaster: postmasterPid(path.join(postgres.dir, 'data')) });
  const idleNodeCpu = async (seconds: number): Promise<number> => {
    const end = meter();
    await sleep(seconds * 1000);
    const cpu = end();
    return round(cpu.nodesS / cpu.wallS, 3);
  };
  return { redis, postgres, nodes: handles, meter, idleNodeCpu, stop };
}
