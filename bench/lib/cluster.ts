/**
 * Starts what a scenario measures: a throwaway redis-server, parley nodes
 * from dist/main.js, or the bare Socket.IO relay baseline — all on loopback
 * free ports, all tracked by PID in the caller's ProcessGroup.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { RedisClusterServer } from '../../test/helpers/redis-cluster';
import { freePort, waitUntil, type ProcessGroup, type Tracked } from './procs';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const MAIN_JS = path.join(ROOT, 'dist', 'main.js');
const BASELINE_JS = path.join(__dirname, '..', 'baseline-server.js');

export interface RedisHandle {
  port: number;
  url: string;
  proc: Tracked;
}

/** What nodes share: one redis-server, or a Redis Cluster (test/helpers/redis-cluster). */
export type RedisTarget = RedisHandle | RedisClusterServer;

/** REDIS_URL for one Redis, REDIS_CLUSTER_NODES for a cluster. */
function redisEnv(redis: RedisTarget): Record<string, string> {
  return 'setting' in redis ? { REDIS_CLUSTER_NODES: redis.setting } : { REDIS_URL: redis.url };
}

export interface NodeHandle {
  id: string;
  url: string;
  port: number;
  proc: Tracked;
  /** V8 inspector port, when started with `inspect`. */
  inspectPort?: number;
}

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

/**
 * The command that runs node with `args`, under a raised open-file limit when
 * `maxFiles` is set: prlimit execs node, so the PID stays node's.
 */
function nodeCommand(args: string[], maxFiles: number | undefined): [string, string[]] {
  if (!maxFiles) return [process.execPath, args];
  return ['prlimit', [`--nofile=${maxFiles}:${maxFiles}`, '--', process.execPath, ...args]];
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

export function httpGet(url: string, agent?: http.Agent, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export async function startRedis(group: ProcessGroup): Promise<RedisHandle> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-redis-'));
  const proc = group.spawn('redis-server', 'redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--maxclients', '10000',
  ]);
  await waitUntil('redis-server', () => redisCommand(port, ['PING']).then((r) => r === 'PONG'), 5000, proc);
  return { port, url: `redis://127.0.0.1:${port}`, proc };
}

/** Starts `count` parley nodes sharing one Redis (or one Redis Cluster) and one session secret. */
export async function startNodes(group: ProcessGroup, redis: RedisTarget, count: number, options: StartOptions = {}): Promise<NodeHandle[]> {
  const starts: Promise<NodeHandle>[] = [];
  const first = options.firstId ?? 1;
  for (let i = first; i < first + count; i++) starts.push(startNode(group, redis, `bench-${i}`, options));
  return Promise.all(starts);
}

async function startNode(group: ProcessGroup, redis: RedisTarget, id: string, options: StartOptions): Promise<NodeHandle> {
  const port = await freePort();
  const execArgv: string[] = [];
  if (options.cpuProfDir) {
    mkdirSync(options.cpuProfDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, `--cpu-prof-name=${id}-${Date.now()}.cpuprofile`);
  }
  const inspectPort = options.inspect ? await freePort() : undefined;
  if (inspectPort) execArgv.push(`--inspect=127.0.0.1:${inspectPort}`);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...LOAD_ENV,
    ...options.env,
    ...redisEnv(redis),
    SESSION_SECRET: 'bench-session-secret-0123456789',
    NODE_ID: id,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const [command, args] = nodeCommand([...execArgv, MAIN_JS], options.maxFiles);
  const proc = group.spawn(id, command, args, { env, cwd: ROOT });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`node ${id}`, async () => (await httpGet(`${url}/health`)).status === 200, options.readyTimeoutMs ?? 15_000, proc);
  return { id, url, port, proc, inspectPort };
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
  await waitUntil('baseline relay', async () => (await httpGet(`${url}/health`)).status === 200, 10_000, proc);
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

/** One RESP command on a fresh connection; returns the first reply line's payload. */
export function redisCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data[0] === '$') {
        const n = Number(data.slice(1, data.indexOf('\r\n')));
        const start = data.indexOf('\r\n') + 2;
        if (n < 0) finish('');
        else if (Buffer.byteLength(data) >= start + n + 2) finish(data.slice(start, start + n));
      } else if (data.includes('\r\n')) {
        finish(data.slice(1, data.indexOf('\r\n')));
      }
    });
    const finish = (value: string): void => {
      socket.destroy();
      resolve(value);
    };
  });
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
