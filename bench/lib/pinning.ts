/**
 * Pins processes to CPU cores with taskset (util-linux), so the nodes under
 * test get core(s) of their own and the load generator, Redis and PostgreSQL
 * the others: capacity figures then measure the node, not the scheduler.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface PinPlan {
  /** Cores the nodes run on (node i on nodeCores[i % length]). */
  nodeCores: number[];
  /** Cores of everything else the bench starts (and the bench itself). */
  otherCores: number[];
}

export interface Pinning extends PinPlan {
  pinned: boolean;
  /** What was done, in words (for the report), or why nothing was. */
  note: string;
}

/**
 * Nodes get up to half the cores (at least one), the rest go to the load
 * generator and the stores. More nodes than node cores share them.
 */
export function planPinning(cores: number, nodes: number): PinPlan | undefined {
  if (cores < 2 || nodes < 1) return undefined;
  const nodeCount = Math.max(1, Math.min(nodes, Math.floor(cores / 2)));
  const all = Array.from({ length: cores }, (_, i) => i);
  return { nodeCores: all.slice(0, nodeCount), otherCores: all.slice(nodeCount) };
}

let tasksetFound: boolean | undefined;

export function tasksetAvailable(): boolean {
  if (tasksetFound === undefined) {
    try {
      execFileSync('taskset', ['--version'], { stdio: 'ignore' });
      tasksetFound = true;
    } catch {
      tasksetFound = false;
    }
  }
  return tasksetFound;
}

/** Sets the affinity of every thread of `pid`; false when taskset refused. */
export function pin(pid: number, cores: number[]): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores.join(','), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const list = (cores: number[]): string => (cores.length === 1 ? `core ${cores[0]}` : `cores ${cores.join(', ')}`);

/**
 * Pins this process (so what it starts from now on inherits the other
 * cores); `pinNodes` then moves the nodes to theirs, and `release` gives this
 * process every core back. Without taskset or a second core it warns and
 * pins nothing.
 */
export function pinBench(nodes: number, warn: (line: string) => void): Pinning & { pinNodes(pids: number[]): void; release(): void } {
  const cores = os.cpus().length;
  const plan = planPinning(cores, nodes);
  const none = (note: string) => {
    warn(`capacity: ${note}; the figures include the scheduler's sharing of the cores`);
    return { nodeCores: [], otherCores: [], pinned: false, note, pinNodes: () => undefined, release: () => undefined };
  };
  if (!plan) return none(`not pinned: ${cores} core${cores > 1 ? 's' : ''}`);
  if (!tasksetAvailable()) return none('not pinned: taskset (util-linux) is not installed');
  if (!pin(process.pid, plan.otherCores)) return none('not pinned: taskset could not set this process\'s affinity');
  const shared = nodes > plan.nodeCores.length ? `; the ${nodes} nodes share ${plan.nodeCores.length === 1 ? 'that core' : 'those cores'}` : '';
  return {
    ...plan,
    pinned: true,
    note: `nodes pinned to ${list(plan.nodeCores)}${shared}; load generator, Redis and PostgreSQL to ${list(plan.otherCores)}`,
    pinNodes: (pids) => pids.forEach((pid, i) => pin(pid, [plan.nodeCores[i % plan.nodeCores.length]!])),
    release: () => void pin(process.pid, Array.from({ length: cores }, (_, i) => i)),
  };
}
