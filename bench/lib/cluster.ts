/**
 * Starts what a scenario measures: a throwaway redis-server, parley nodes
 * from dist/main.js, or the bare Socket.IO relay baseline — all on loopback
 * free ports, all tracked by PID in the caller's ProcessGroup.
 */
import net from 'node:net';
import path from 'node:path';
import { httpGet } from '../../testkit/http';
import { ROOT } from '../../testkit/paths';
import { nodeCommand, startParleyProcess, type ParleyProcess } from '../../testkit/parley-process';
import { freePort } from '../../testkit/ports';
import { whenReady, type ProcessGroup } from '../../testkit/processes';
import type { RedisClusterServer } from '../../testkit/redis-cluster';
import { redisCommand, startRedis as startRedisServer, type RedisServer } from '../../testkit/redis-server';

const BASELINE_JS = path.join(__dirname, '..', 'baseline-server.js');

export type RedisHandle = RedisServer;

/** What nodes share: one redis-server, or a Redis Cluster (testkit/redis-cluster). */
export type RedisTarget = RedisHandle | RedisClusterServer;

/** REDIS_URL for one Redis, REDIS_CLUSTER_NODES for a cluster. */
function redisEnv(redis: RedisTarget): Record<string, string> {
  return 'setting' in redis ? { REDIS_CLUSTER_NODES: redis.setting } : { REDIS_URL: redis.url };
}

export type NodeHandle = ParleyProcess;

export interface ClusterHandle {
  redis: RedisHandle;
  nodes: NodeHandle[];
}

export interface StartOptions {
  /** Extra node environment (overrides the bench defaults). */
  env?: Record<string, string>;
  /** Folder for --cpu-prof output; unset: no profiling. */
  cpuProfDir?: string;
  /** Open the V8 inspector on a loopback port (heap figures after a forced GC). */
  inspect?: boolean;
  /** How long a node may take to answer /health (default 15 s). */
  readyTimeoutMs?: number;
  /** Node ids start at bench-<firstId> (default 1). */
  firstId?: number;
  /** Open-file limit of the node process (raised through prlimit, for tens of thousands of sockets). */
  maxFiles?: number;
}

/** Settings that keep the node's own limits out of the way of load. */
export const LOAD_ENV: Record<string, string> = {
  MATCH_RATE_LIMIT: '1000000',
  MESSAGE_RATE_LIMIT: '1000000',
  MAX_CONNECTIONS_PER_IP: '1000000',
  HANDSHAKE_RATE_LIMIT: '1000000',
  TYPING_RATE_LIMIT: '1000000',
  ROOM_JOIN_RATE_LIMIT: '1000000',
  EVENT_RATE_LIMIT: '1000000',
  HEAVY_EVENT_RATE_LIMIT: '1000000',
  NEW_IDENTITY_LIMIT: '1000000',
  // Load clients do not accept rules, solve no proof of work, and all start rooms from one address.
  RULES_GATE: 'off',
  POW_DIFFICULTY: '0',
  ROOM_CREATE_PER_IP_LIMIT: '1000000',
  LOG_LEVEL: 'warn',
};

/**
 * LOAD_ENV plus the topic-room limits raised for the load generator: one
 * process sends for every member, so the per-user room message and room
 * creation limits would otherwise refuse it.
 */
export const ROOM_LOAD_ENV: Record<string, string> = {
  ROOM_MESSAGE_RATE_LIMIT: '1000000',
  ROOM_CREATE_RATE_LIMIT: '1000000',
};

export function startRedis(group: ProcessGroup): Promise<RedisHandle> {
  return startRedisServer({ group, args: ['--maxclients', '10000'] });
}

/** Starts `count` parley nodes sharing one Redis (or one Redis Cluster) and one session secret. */
export async function startNodes(group: ProcessGroup, redis: RedisTarget, count: number, options: StartOptions = {}): Promise<NodeHandle[]> {
  const starts: Promise<NodeHandle>[] = [];
  const first = options.firstId ?? 1;
  for (let i = first; i < first + count; i++) starts.push(startNode(group, redis, `bench-${i}`, options));
  return Promise.all(starts);
}

async function startNode(group: ProcessGroup, redis: RedisTarget, id: string, options: StartOptions): Promise<NodeHandle> {
  return startParleyProcess({
    group,
    id,
    port: await freePort(),
    env: { ...LOAD_ENV, ...options.env, ...redisEnv(redis), SESSION_SECRET: 'bench-session-secret-0123456789' },
    cpuProfDir: options.cpuProfDir,
    inspectPort: options.inspect ? await freePort() : undefined,
    maxFiles: options.maxFiles,
    readyTimeoutMs: options.readyTimeoutMs,
  });
}

/** The bare relay: Socket.IO + the same Redis adapter, no validation, no store. */
export async function startBaseline(
  group: ProcessGroup,
  redis: RedisHandle,
  options: { inspect?: boolean; maxFiles?: number } = {},
): Promise<NodeHandle> {
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '', REDIS_URL: redis.url, PORT: String(port) };
  const inspectPort = options.inspect ? await freePort() : undefined;
  const execArgv = inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [];
  const [command, args] = nodeCommand([...execArgv, BASELINE_JS], options.maxFiles);
  const proc = group.spawn('baseline', command, args, { env, cwd: ROOT });
  const url = `http://127.0.0.1:${port}`;
  await whenReady(proc, 'baseline relay', async () => (await httpGet(`${url}/health`, undefined, 2000)).status === 200, 10_000);
  return { id: 'baseline', url, port, proc, inspectPort };
}

export async function startCluster(group: ProcessGroup, nodes: number, options: StartOptions = {}): Promise<ClusterHandle> {
  const redis = await startRedis(group);
  return { redis, nodes: await startNodes(group, redis, nodes, options) };
}

export async function stopCluster(group: ProcessGroup, cluster: ClusterHandle): Promise<void> {
  await Promise.all(cluster.nodes.map((n) => group.stop(n.proc)));
  await group.stop(cluster.redis.proc);
}

/** Calls per command from INFO commandstats (script-internal calls included). */
export async function commandStats(port: number): Promise<Record<string, number>> {
  const info = await redisCommand(port, ['INFO', 'commandstats']);
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

export function diffStats(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/**
 * Counts the commands clients send (round trips), apart from the commands
 * Lua scripts run inside Redis, by reading MONITOR: a script's own calls are
 * tagged "[0 lua]". Use for short windows only; MONITOR slows Redis.
 */
export class TripCounter {
  private socket: net.Socket | null = null;
  private buffer = '';
  private counting = false;
  readonly client: Record<string, number> = {};
  readonly script: Record<string, number> = {};

  async start(port: number): Promise<void> {
    const socket = net.connect(port, '127.0.0.1');
    this.socket = socket;
    socket.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.on('data', (chunk: string) => {
        if (!this.counting) {
          if (chunk.startsWith('+OK')) {
            this.counting = true;
            resolve();
            chunk = chunk.slice(chunk.indexOf('\r\n') + 2);
          } else return;
        }
        this.consume(chunk);
      });
      socket.on('connect', () => socket.write('*1\r\n$7\r\nMONITOR\r\n'));
    });
  }

  private consume(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 2);
      const m = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
      if (!m) continue;
      const bucket = m[1] === 'lua' ? this.script : this.client;
      const cmd = m[2]!.toLowerCase();
      bucket[cmd] = (bucket[cmd] ?? 0) + 1;
    }
  }

  stop(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
