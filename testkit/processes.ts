/**
 * Every process a benchmark or a test starts, tracked by PID so that teardown
 * (normal end, error, Ctrl-C) stops exactly those and nothing else.
 */
import { fork, spawn, type ChildProcess, type ForkOptions, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { eventually } from './eventually';

export interface Tracked {
  name: string;
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  /** Set once the process exited: its code or signal. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
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
      child.once('exit', (code, signal) => {
        this.live.delete(pid);
        tracked.exit = { code, signal };
        resolve(code);
      });
      child.once('error', () => {
        this.live.delete(pid);
        tracked.exit ??= { code: null, signal: null };
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
    const tracked: Tracked = { name, child, pid, exited, exit: null };
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

/**
 * eventually() for a start-up: polls `check` (a rejection counts as not yet)
 * and fails at once when `t` exits meanwhile; either error carries its stderr.
 */
export async function whenReady(t: Tracked, what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  try {
    await eventually(() => check().catch(() => false), {
      timeoutMs,
      intervalMs: 50,
      what: `${what}: not ready`,
      abort: () => (t.exit ? new Error(`${what}: ${t.name} exited during start-up`) : undefined),
    });
  } catch (err) {
    const tail = stderrTail(t);
    if (tail && err instanceof Error) err.message += `\n${tail}`;
    throw err;
  }
}

/** True while a process with this PID exists (zombies count as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
