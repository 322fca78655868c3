/**
 * A throwaway redis-server for one test file or benchmark: a free loopback
 * port, a temp dir, no persistence; stopped by its PID. Options bring it back
 * on the same port and dir, with its AOF on and a log file (a restart test).
 */
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { ProcessGroup, whenReady, type Tracked } from './processes';

export interface RedisServer {
  port: number;
  url: string;
  pid: number;
  proc: Tracked;
  stop(): Promise<void>;
}

export { freePort };

export interface StartRedisOptions {
  /** Listen here (default: a free port); pass the old one to come back on the same address. */
  port?: number;
  /** Data dir, kept by stop() (default: a temp dir that stop() removes). */
  dir?: string;
  /** `--appendonly yes`: the data survives a restart. */
  appendonly?: boolean;
  /** stdout and stderr go here, appended (default: only the last stderr lines are kept, for errors). */
  logFile?: string;
  /** Extra redis-server arguments. */
  args?: string[];
  /** Tracks the process (a benchmark's teardown); default: a group of its own. */
  group?: ProcessGroup;
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const extraArgs = options.args ?? [];
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'parley-redis-'));
  const port = options.port ?? (await freePort());
  const group = options.group ?? new ProcessGroup();
  const log = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
  const proc = group.spawn(
    'redis-server',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', options.appendonly ? 'yes' : 'no', '--dir', dir, ...extraArgs],
    log === undefined ? {} : { stdio: ['ignore', log, log] },
  );
  const removeDir = () => {
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await whenReady(proc, `redis-server on ${port}`, async () => (await redisCommand(port, ['PING'])) === 'PONG', 5000);
  } catch (err) {
    await group.stop(proc);
    removeDir();
    throw err;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: proc.pid,
    proc,
    stop: async () => {
      await group.stop(proc);
      removeDir();
    },
  };
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
