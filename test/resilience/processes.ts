/**
 * Real processes for the Redis restart test: a redis-server with AOF on a
 * fixed port and directory (so it can come back with or without its data),
 * and parley nodes run from dist/main.js, each watched for an exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../deploy/helpers';

export interface Proc {
  pid: number;
  /** Set once the process exited: its code or signal. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGTERM by PID, resolves once it is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function watch(child: ChildProcess): Proc {
  const proc: Proc = {
    pid: child.pid!,
    exit: null,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exit) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await gone;
    },
  };
  child.once('exit', (code, signal) => (proc.exit = { code, signal }));
  return proc;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** redis-server on `port` with AOF in `dir`; resolves once it answers. */
export async function startAofRedis(port: number, dir: string, logDir: string): Promise<Proc> {
  const log = openSync(path.join(logDir, 'redis.log'), 'a');
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir],
    { stdio: ['ignore', log, log] },
  );
  const proc = watch(child);
  await waitFor(async () => proc.exit !== null || (await listening(port)), 5000, `redis-server on ${port} did not listen`);
  if (proc.exit) throw new Error(`redis-server exited: ${JSON.stringify(proc.exit)}`);
  return proc;
}

/** A parley node process; resolves once its /health answers 200. */
export async function startNode(env: Record<string, string>, logDir: string): Promise<Proc & { url: string }> {
  const log = openSync(path.join(logDir, `${env.NODE_ID}.log`), 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', RULES_GATE: 'off', POW_DIFFICULTY: '0', NEW_IDENTITY_LIMIT: '100000', ...env },
    stdio: ['ignore', log, log],
  });
  const proc = watch(child);
  const url = `http://127.0.0.1:${env.PORT}`;
  await waitFor(
    async () =>
      proc.exit !== null ||
      (await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )),
    15_000,
    `${env.NODE_ID} did not answer /health`,
  );
  if (proc.exit) throw new Error(`${env.NODE_ID} exited during start-up: ${JSON.stringify(proc.exit)}`);
  return Object.assign(proc, { url });
}
