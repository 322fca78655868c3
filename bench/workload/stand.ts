/**
 * What the capacity and soak scenarios run: parley nodes on Redis and
 * PostgreSQL (the room-archiver setup), the load processes of the workload
 * model, and one measured window of the model at a given number of users.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { WindowMeta } from '../lib/attribution';
import { cpuSecondsOf, mainThreadCpuSecondsOf, systemCpuSecondsOf } from '../lib/cpu-meter';
import { startCpuProfile } from '../lib/inspector';
import type { BenchContext } from '../lib/context';
import { sleep } from '../lib/procs';
import { startRoomsCluster, type RoomsCluster } from '../lib/rooms-cluster';
import { round, summarize, type Summary } from '../lib/stats';
import { Fleet, type Window } from './fleet';
import type { WorkloadModel } from './model';
import { sampleNode, sampleStores, type StoreSample } from './probes';
import type { Tally } from './sink';

/** The nodes' matchmaking timings, fixed so the users know them. */
export const COOLDOWN_MS = 3000;
export const FALLBACK_MS = 5000;
/** Two eligible users waiting together longer than this are a stuck pair. */
export const STUCK_MS = FALLBACK_MS + 3000;
const TOPIC_ROOMS = Array.from({ length: 40 }, (_, i) => `lounge${i + 1}`);

export interface Stand {
  cluster: RoomsCluster;
  pg: Pool;
  fleet: Fleet;
  stop(): Promise<void>;
}

/**
 * `profileWindows`: when the run profiles (--profile), the nodes open their
 * inspector and measureWindow profiles each window instead of the node's
 * whole life (startup and ramps left out).
 */
export async function startStand(ctx: BenchContext, nodes: number, model: WorkloadModel, processes: number, profileWindows = false): Promise<Stand> {
  const cluster = await startRoomsCluster(
    ctx,
    nodes,
    {
      DM_RATE_LIMIT: '1000000',
      CONTACTS_MAX: String(model.dmContacts + 1),
      MATCH_COOLDOWN_MS: String(COOLDOWN_MS),
      RANDOM_FALLBACK_MS: String(FALLBACK_MS),
      ROOMS: TOPIC_ROOMS.join(','),
    },
    { profileWindows },
  );
  const pg = new Pool({ connectionString: cluster.postgres.url, max: 4 });
  const fleet = new Fleet(ctx.group, {
    urls: cluster.nodes.map((n) => n.url),
    model,
    processes,
    cooldownMs: COOLDOWN_MS,
    fallbackMs: FALLBACK_MS,
    stuckMs: STUCK_MS,
    rooms: TOPIC_ROOMS,
    pg,
    // The nodes run on the default REDIS_PREFIX.
    chatLogs: { redisUrl: cluster.redis.url, prefix: 'parley' },
  });
  fleet.start();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await fleet.stop();
      await pg.end();
      await cluster.stop();
    })());
  return { cluster, pg, fleet, stop };
}

/** Sets the target and waits until the users are there (or the ramp timed out); returns how many are. */
export async function rampTo(stand: Stand, users: number, model: WorkloadModel, processes: number, onProgress?: (n: number) => void): Promise<number> {
  stand.fleet.setTarget(users);
  const deadline = Date.now() + (users / (model.rampPerS * processes)) * 1000 * 2 + 15_000;
  while (Date.now() < deadline && stand.fleet.users() < users * 0.98) {
    await sleep(500);
    onProgress?.(stand.fleet.users());
  }
  return stand.fleet.users();
}

export interface WindowFigures {
  seconds: number;
  users: number;
  /** Pairing wait of the pairs formed, from when the two could be paired (Ledger.add). */
  waitMs: Summary;
  /** Search to `matched`, including waiting for a suitable partner to arrive. */
  searchWaitMs: Summary;
  oneWayMs: Summary;
  dmOneWayMs: Summary;
  roomOneWayMs: Summary;
  /** Highest event-loop delay p99 of any node over the window's scrapes, ms. */
  lagP99Ms: number;
  /** RSS and heap summed over the nodes at the end, MiB. */
  rssMiB: number;
  heapMiB: number;
  /** The machine's 1-minute load average at the end of the window (absent in older results). */
  loadAvg1?: number;
  /** Cores used on average in the window. */
  cpu: { nodes: number; redis: number; postgres: number; generator: number; others: number; machine: number };
  stores: StoreSample;
  redisCommandsPerS: number;
  /**
   * Redis commands per user per minute in the window: `all` every command
   * Redis ran (total_commands_processed, which counts the commands inside
   * Lua scripts too), `byCommand` each command's calls (INFO commandstats,
   * the same way), most first.
   * Absent in older results.
   */
  redisPerUserMinute?: { all: number; byCommand: [string, number][] };
  pgCommitsPerS: number;
  violations: number;
  tally: Tally;
  errors: Record<string, number>;
}

/** Where a window's CPU profiles go: `<dir>/<label>-<node>.cpuprofile`, with a `.json` of WindowMeta beside each. */
export interface WindowProfile {
  dir: string;
  label: string;
}

/**
 * Measures `seconds` of the model at the current target; with `profile`
 * (nodes started with their inspector), also a CPU profile of each node over
 * the window.
 */
export async function measureWindow(stand: Stand, seconds: number, profile?: WindowProfile): Promise<WindowFigures> {
  const { cluster, fleet } = stand;
  await Promise.all(cluster.nodes.map(sampleNode)); // resets the lag histograms
  const profiled = profile ? cluster.nodes.filter((n) => n.inspectPort !== undefined) : [];
  const stopProfiles = await Promise.all(profiled.map((n) => startCpuProfile(n.inspectPort!)));
  const nodeCpuBefore = profiled.map((n) => [cpuSecondsOf(n.proc.pid), mainThreadCpuSecondsOf(n.proc.pid), systemCpuSecondsOf(n.proc.pid)] as const);
  fleet.takeWindow();
  const storesBefore = await sampleStores(cluster.redis.port, stand.pg);
  const violationsBefore = fleet.ledger.total();
  const genBefore = fleet.cpuSeconds();
  const endCpu = cluster.meter();
  let lag = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(Math.min(2000, end - Date.now()));
    for (const s of await Promise.all(cluster.nodes.map(sampleNode))) lag = Math.max(lag, s.lagP99Ms);
  }
  const cpu = endCpu();
  const nodeCpu = profiled.map((n, i) => [
    cpuSecondsOf(n.proc.pid) - nodeCpuBefore[i]![0],
    mainThreadCpuSecondsOf(n.proc.pid) - nodeCpuBefore[i]![1],
    systemCpuSecondsOf(n.proc.pid) - nodeCpuBefore[i]![2],
  ]);
  const profiles = await Promise.all(stopProfiles.map((stop) => stop()));
  const generatorS = fleet.cpuSeconds() - genBefore;
  const win: Window = fleet.takeWindow();
  if (profile && profiles.length) {
    mkdirSync(profile.dir, { recursive: true });
    profiled.forEach((n, i) => {
      const base = path.join(profile.dir, `${profile.label}-${n.id}`);
      // Users are spread evenly over the nodes' URLs.
      const meta: WindowMeta = { users: Math.round(win.users / cluster.nodes.length), wallS: cpu.wallS, cpuS: round(nodeCpu[i]![0]!), mainCpuS: round(nodeCpu[i]![1]!), kernelS: round(nodeCpu[i]![2]!) };
      writeFileSync(`${base}.cpuprofile`, JSON.stringify(profiles[i]));
      writeFileSync(`${base}.json`, `${JSON.stringify(meta)}\n`);
    });
  }
  const nodes = await Promise.all(cluster.nodes.map(sampleNode));
  const stores = await sampleStores(cluster.redis.port, stand.pg);
  fleet.ledger.check(Date.now());
  const per = (s: number): number => round(s / cpu.wallS, 3);
  return {
    seconds: cpu.wallS,
    users: win.users,
    waitMs: summarize(win.waitsMs),
    searchWaitMs: summarize(win.searchWaitsMs),
    oneWayMs: summarize(win.oneWayMs),
    dmOneWayMs: summarize(win.dmOneWayMs),
    roomOneWayMs: summarize(win.roomOneWayMs),
    lagP99Ms: round(Math.max(lag, ...nodes.map((n) => n.lagP99Ms))),
    rssMiB: round(nodes.reduce((a, n) => a + n.rssMiB, 0), 1),
    heapMiB: round(nodes.reduce((a, n) => a + n.heapMiB, 0), 1),
    cpu: {
      nodes: per(cpu.nodesS),
      redis: per(cpu.redisS),
      postgres: per(cpu.postgresS),
      // The bench process itself and its load processes.
      generator: per(cpu.generatorS + generatorS),
      others: per(Math.max(0, cpu.othersS - generatorS)),
      machine: per(cpu.machineS),
    },
    stores,
    redisCommandsPerS: round((stores.redisCommands - storesBefore.redisCommands) / cpu.wallS, 0),
    redisPerUserMinute: perUserMinute(stores, storesBefore, win.users, cpu.wallS),
    pgCommitsPerS: round((stores.pgCommits - storesBefore.pgCommits) / cpu.wallS, 1),
    loadAvg1: cpu.loadAvg1,
    violations: fleet.ledger.total() - violationsBefore,
    tally: win.tally,
    errors: win.errors,
  };
}

/** Redis commands per user per minute between two samples (see `WindowFigures.redisPerUserMinute`). */
export function perUserMinute(after: StoreSample, before: StoreSample, users: number, seconds: number): { all: number; byCommand: [string, number][] } {
  const per = (n: number): number => (users > 0 && seconds > 0 ? round((n * 60) / (users * seconds), 2) : 0);
  const byCommand: [string, number][] = Object.entries(after.redisByCommand)
    .map(([name, calls]): [string, number] => [name, per(calls - (before.redisByCommand[name] ?? 0))])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return { all: per(after.redisCommands - before.redisCommands), byCommand };
}
