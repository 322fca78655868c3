/**
 * A throwaway Redis Cluster for one test file: 3 masters and 3 replicas on
 * free loopback ports, each with its own temp dir and no persistence, created
 * with `redis-cli --cluster create` and torn down by PID.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { eventually } from './eventually';
import { freePortRange } from './ports';
import { startRedis, type RedisServer } from './redis-server';

const run = promisify(execFile);

export interface RedisClusterServer {
  /** `127.0.0.1:<port>` of every server, masters first as created. */
  nodes: string[];
  ports: number[];
  /** The servers' temp dir (removed by stop). */
  dir: string;
  /** The REDIS_CLUSTER_NODES value. */
  setting: string;
  /** Process id of the server on `port` (CPU readings of a benchmark). */
  pid(port: number): number | undefined;
  /** SIGKILLs the server on `port` (a failover test's crash). */
  kill(port: number): void;
  /** The current masters' ports, as the cluster sees them. */
  masters(): Promise<number[]>;
  /** The port of the master serving `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** Waits until every live server reports `cluster_state:ok`. */
  waitOk(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const SIZE = 6;

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

/** Starts six servers and joins them into a cluster with one replica per master. */
export async function startRedisCluster(options: { nodeTimeoutMs?: number } = {}): Promise<RedisClusterServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-rcluster-'));
  // Each server's cluster bus gets a port of the same free range (the default,
  // port + 10000, could land in the ephemeral range).
  const first = await freePortRange(2 * SIZE);
  const ports = Array.from({ length: SIZE }, (_, i) => first + i);
  const servers = new Map<number, RedisServer>();
  const running = (server: RedisServer | undefined) => server !== undefined && server.proc.exit === null;
  const stopAll = async (): Promise<void> => {
    for (const server of servers.values()) {
      if (running(server)) server.proc.child.kill('SIGKILL');
      await server.proc.exited;
    }
    servers.clear();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const starts = await Promise.allSettled(
      ports.map((port) =>
        startRedis({
          port,
          dir,
          args: [
            '--dbfilename', `dump-${port}.rdb`, '--logfile', `redis-${port}.log`,
            // Replicas sync at once (the default waits 5 s): a replica that never synced cannot take over.
            '--repl-diskless-sync-delay', '0',
            '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-port', String(port + SIZE),
            '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2000),
          ],
        }),
      ),
    );
    for (const start of starts) if (start.status === 'fulfilled') servers.set(start.value.port, start.value);
    for (const start of starts) if (start.status === 'rejected') throw start.reason;
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 30_000,
    });
  } catch (err) {
    await stopAll();
    throw err;
  }

  const live = () => ports.filter((port) => running(servers.get(port)));
  /** Lines of CLUSTER NODES as one live server sees them. */
  const view = async (port: number) => (await cli(port, 'CLUSTER', 'NODES')).split('\n').filter(Boolean);
  // A master serves slots: its line lists them after the 8 fixed fields.
  const servingMasters = (lines: string[]) =>
    lines
      .filter((line) => /\bmaster\b/.test(line) && !/\bfail\b/.test(line) && line.split(' ').length > 8)
      .map((line) => Number(/:(\d+)@/.exec(line)?.[1]));
  const waitOk = (timeoutMs = 15_000) =>
    eventually(
      async () => {
        const up = live();
        const infos = await Promise.all(up.map((port) => cli(port, 'CLUSTER', 'INFO')));
        if (!infos.every((info) => info.includes('cluster_state:ok'))) return false;
        // Every live server has its role: 3 serving masters, the rest replicas
        // of them, each replica's copy in sync.
        const replication = await Promise.all(up.map((port) => cli(port, 'INFO', 'replication')));
        if (!replication.every((info) => info.includes('role:master') || info.includes('master_link_status:up'))) return false;
        const views = await Promise.all(up.map(view));
        return views.every((lines) => {
          const alive = lines.filter((line) => !/\bfail\b/.test(line));
          return servingMasters(lines).length === 3 && alive.filter((line) => /\bslave\b/.test(line)).length === up.length - 3;
        });
      },
      { timeoutMs, intervalMs: 50, what: 'redis cluster: cluster_state:ok and every role settled on every node' },
    ).then(() => undefined);
  await waitOk().catch(async (err: unknown) => {
    await stopAll();
    throw err;
  });

  let stopping: Promise<void> | undefined;
  const nodes = ports.map((port) => `127.0.0.1:${port}`);
  return {
    nodes,
    ports,
    dir,
    setting: nodes.join(','),
    pid: (port) => servers.get(port)?.pid,
    kill: (port) => {
      servers.get(port)?.proc.child.kill('SIGKILL');
    },
    masters: async () => servingMasters(await view(live()[0]!)),
    masterOf: async (key) => {
      const port = live()[0]!;
      const slot = Number((await cli(port, 'CLUSTER', 'KEYSLOT', key)).trim());
      for (const line of await view(port)) {
        if (!/\bmaster\b/.test(line) || /\bfail\b/.test(line)) continue;
        const ranges = line.split(' ').slice(8);
        const serves = ranges.some((range) => {
          const [low, high] = range.split('-').map(Number);
          return slot >= low! && slot <= (high ?? low)!;
        });
        if (serves) return Number(/:(\d+)@/.exec(line)?.[1]);
      }
      throw new Error(`no master serves slot ${slot}`);
    },
    waitOk,
    stop: () => (stopping ??= stopAll()),
  };
}

/** A client of the test cluster, configured as parley's backend configures its own. */
export function clusterClient(cluster: RedisClusterServer): Cluster {
  return new Cluster(
    cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
    { shardedSubscribers: true, scaleReads: 'master', redisOptions: { maxRetriesPerRequest: 1 } },
  );
}
