/**
 * Every process the bench starts, tracked by PID so that teardown (normal
 * end, error, Ctrl-C) stops exactly those and nothing else.
 */
import { fork, spawn, type ChildProcess, type ForkOptions, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export interface Tracked {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
}

const STOP_GRACE_MS = 5000;

export class ProcessGroup {
  private readonly live = new Map<number, Tracked>();
  private readonly deferred: (() => Promise<void>)[] = [];

  /**
   * Registers the teardown of something not started through spawn/fork (a
   * throwaway PostgreSQL server started by its helper): stopAll runs it once.
   */
  defer(stop: () => Promise<void>): void {
    this.deferred.push(stop);
  }

  /** Runs and forgets one registered teardown now (a scenario's normal end). */
  async runDeferred(stop: () => Promise<void>): Promise<void> {
    const i = this.deferred.indexOf(stop);
    if (i < 0) return;
    this.deferred.splice(i, 1);
    await stop();
  }

  spawn(name: string, command: string, args: string[], options: SpawnOptions = {}): Tracked {
    return this.track(name, spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options }));
  }

  fork(name: string, modulePath: string, args: string[] = [], options: ForkOptions = {}): Tracked {
    return this.track(name, fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...options }));
  }

  private track(name: string, child: ChildProcess): Tracked {
    if (child.pid === undefined) throw new Error(`could not start ${name}`);
    const pid = child.pid;
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        this.live.delete(pid);
        resolve(code);
      });
      child.once('error', () => {
        this.live.delete(pid);
        resolve(null);
      });
    });
    // Keep the last lines of stderr for error messages.
    const tail: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => {
      tail.push(chunk.toString());
      if (tail.length > 20) tail.shift();
    });
    Object.defineProperty(child, 'stderrTail', { value: tail });
    const tracked = { name, child, pid, exited };
    this.live.set(pid, tracked);
    return tracked;
  }

  /** Stops one process: SIGTERM, then SIGKILL after a grace period. */
  async stop(t: Tracked, graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.live.has(t.pid)) return;
    try {
      process.kill(t.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(t.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, graceMs);
    await t.exited;
    clearTimeout(timer);
  }

  /** Stops everything still running, newest first. */
  async stopAll(): Promise<void> {
    const all = [...this.live.values()].reverse();
    const deferred = this.deferred.splice(0).reverse();
    await Promise.all([...all.map((t) => this.stop(t)), ...deferred.map((stop) => stop().catch(() => undefined))]);
  }

  /** Last-resort synchronous kill (process 'exit' handler). */
  killAllNow(): void {
    for (const t of this.live.values()) {
      try {
        process.kill(t.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  size(): number {
    return this.live.size + this.deferred.length;
  }
}

export function stderrTail(t: Tracked): string {
  const tail = (t.child as ChildProcess & { stderrTail?: string[] }).stderrTail ?? [];
  return tail.join('').split('\n').slice(-15).join('\n');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; fails with `what` after the deadline or when `t` exits. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, t?: Tracked): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void t?.exited.then(() => (gone = true));
  for (;;) {
    if (await check().catch(() => false)) return;
    if (gone && t) throw new Error(`${what}: ${t.name} exited during start-up\n${stderrTail(t)}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms${t ? `\n${stderrTail(t)}` : ''}`);
    await sleep(50);
  }
}

/** VmRSS of a process in bytes, from /proc/<pid>/status. */
export async function rssBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/** This process's open-file limits (soft, hard), from /proc/self/limits; children inherit them. */
export function openFileLimits(): { soft: number; hard: number } {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  const n = (v: string | undefined): number => (v === undefined ? 1024 : v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}
