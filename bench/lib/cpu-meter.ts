/**
 * CPU spent during one timed phase, by whom: the nodes, Redis, PostgreSQL
 * (the postmaster's children), this load generator, and everything else on
 * the machine (other work sharing the cores). On a shared machine the last
 * figure says how much of the machine the run really had.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { round } from './stats';

export interface CpuShare {
  wallS: number;
  /** CPU seconds in the phase. */
  nodesS: number;
  redisS: number;
  postgresS: number;
  generatorS: number;
  /** Busy CPU seconds of the whole machine minus the above. */
  othersS: number;
  /** Cores × wall seconds. */
  machineS: number;
  /** 1-minute load average at the end of the phase. */
  loadAvg1: number;
}

const TICK = 100;

/** CPU seconds one process has used so far (0 when it is gone). */
export function cpuSecondsOf(pid: number): number {
  return ticks(pid) / TICK;
}

/** Kernel (system) CPU seconds a process has used so far (0 when it is gone). */
export function systemCpuSecondsOf(pid: number): number {
  return Number(statFields(`/proc/${pid}/stat`)?.[12] ?? 0) / TICK;
}

/** CPU seconds the main thread of a process (its first thread) has used so far (0 when it is gone). */
export function mainThreadCpuSecondsOf(pid: number): number {
  return ticks(pid, `/proc/${pid}/task/${pid}/stat`) / TICK;
}

/** User and system ticks of a process (or of one of its threads' stat file); 0 when it is gone. */
function ticks(pid: number, file = `/proc/${pid}/stat`): number {
  const f = statFields(file);
  return f ? Number(f[11]) + Number(f[12]) : 0;
}

/** The fields of a /proc stat file after the command name (state first); null when it cannot be read. */
function statFields(file: string): string[] | null {
  try {
    const stat = readFileSync(file, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function parentOf(pid: number): number {
  const f = statFields(`/proc/${pid}/stat`);
  return f ? Number(f[1]) : -1;
}

/** The postmaster and its backends (PIDs re-read at every sample: backends come and go). */
function postgresPids(postmaster: number | undefined): number[] {
  if (!postmaster) return [];
  const out = [postmaster];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (pid > 0 && parentOf(pid) === postmaster) out.push(pid);
  }
  return out;
}

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return total - v[3]! - v[4]!; // minus idle and iowait
}

export interface CpuPids {
  nodes: number[];
  redis: number;
  postmaster?: number;
}

interface Sample {
  at: number;
  nodes: number;
  redis: number;
  postgres: Map<number, number>;
  generator: number;
  machine: number;
}

function sample(p: CpuPids): Sample {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    nodes: p.nodes.reduce((a, pid) => a + ticks(pid), 0),
    redis: ticks(p.redis),
    postgres: new Map(postgresPids(p.postmaster).map((pid) => [pid, ticks(pid)])),
    generator: (usage.user + usage.system) / 1e6,
    machine: machineBusyTicks(),
  };
}

/** Starts measuring; call the returned function at the end of the phase. */
export function cpuMeter(pids: CpuPids): () => CpuShare {
  const a = sample(pids);
  return () => {
    const b = sample(pids);
    // A backend that exited during the phase is lost; one that started counts from 0.
    let pgTicks = 0;
    for (const [pid, t] of b.postgres) pgTicks += t - (a.postgres.get(pid) ?? 0);
    const nodesS = (b.nodes - a.nodes) / TICK;
    const redisS = (b.redis - a.redis) / TICK;
    const postgresS = pgTicks / TICK;
    const generatorS = b.generator - a.generator;
    const machineBusyS = (b.machine - a.machine) / TICK;
    const wallS = (b.at - a.at) / 1000;
    return {
      wallS: round(wallS),
      nodesS: round(nodesS),
      redisS: round(redisS),
      postgresS: round(postgresS),
      generatorS: round(generatorS),
      othersS: round(Math.max(0, machineBusyS - nodesS - redisS - postgresS - generatorS)),
      machineS: round(wallS * cpus().length),
      loadAvg1: round(loadavg()[0]!),
    };
  };
}

/** PID of a PostgreSQL server from its data dir's postmaster.pid. */
export function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}
