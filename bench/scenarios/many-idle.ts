/**
 * many-idle: tens of thousands of idle WebSocket clients on one machine, held
 * by the deployment as it runs: `deploy/cluster.sh up` (Redis, PostgreSQL,
 * three nodes, nginx in front) on free loopback ports, every node under the
 * machine's open-file limit. Clients connect through nginx from several
 * loopback source addresses (127.0.0.2, .3, …), each held by a forked load
 * generator of its own. nginx sends a client to a node by a hash of its
 * address, so the bench first asks nginx's /health from each candidate
 * address which node it lands on and gives every node the same number of
 * load generators.
 *
 * Reported per node: connections (the node's own `parley_connections`), RSS
 * per connection, event-loop probe round trips (GET /api/config straight to
 * the node every 10 ms, as in `connections`) and the node's own lag p99 from
 * /metrics, open files against the limit; and the time to connect everyone,
 * Redis memory before and after, and the files of the busiest nginx worker.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clusterOnFreePorts, readPids, tearDown, type Cluster } from '../../testkit/cluster-sh';
import { getJson, httpGet } from '../../testkit/http';
import { LOAD_ENV } from '../lib/cluster';
import type { BenchContext, Mode } from '../lib/context';
import { openFileLimits, rssBytes, sleep } from '../lib/procs';
import { round, type Summary } from '../lib/stats';
import { SOCKETS_PER_WORKER, Worker, type ConnectResult } from '../lib/workers';
import { probe } from './connections';

export const MANY_IDLE_NODES = 3;
/** Files a process keeps besides its sockets (Redis, PostgreSQL, modules, logs, probe). */
const FILE_MARGIN = 500;
/** nginx: workers and connections per worker (each client costs two: client side and upstream). */
const NGINX_WORKERS = 8;
const NGINX_WORKER_CONNECTIONS = 16_384;
/** Handshakes in flight per load generator. */
const CONCURRENCY = 50;
/** A client whose handshake failed is tried again this many times, after its load generator's first pass. */
const CONNECT_RETRIES = 2;

export interface ManyIdleNode {
  node: string;
  /** The node's own count (`parley_connections` on its /metrics). */
  connections: number;
  rssBeforeMiB: number;
  rssMiB: number;
  /** (RSS holding − RSS before any client) ÷ connections. */
  kibPerConnection: number;
  /** Probe round trips while holding (client side). */
  probeMs: Summary;
  /** The node's own event-loop lag p99 (prom-client, `nodejs_eventloop_lag_p99_seconds`), ms. */
  lagP99Ms: number | null;
  openFiles: number;
  openFileLimit: number;
}

export interface ManyIdleResult {
  requested: number;
  held: number;
  /** Clients that failed every try. */
  failed: number;
  /** Connection attempts made again after a failure (each client is tried up to 1 + CONNECT_RETRIES times); absent in older results. */
  retried?: number;
  /** Every failed attempt, by its message (retried ones included); absent in older results. */
  failureReasons?: Record<string, number>;
  nodes: ManyIdleNode[];
  /** From the first handshake to the last `session`, over every load generator. */
  connectS: number;
  loadProcesses: number;
  sourceAddresses: number;
  holdS: number;
  redis: { usedBeforeMiB: number; usedMiB: number; rssMiB: number; bytesPerConnection: number };
  nginx: { workers: number; workerConnections: number; busiestWorkerFiles: number | null };
  limits: {
    openFileSoft: number;
    openFileHard: number;
    /** What the bench raised, and what it could not. */
    raised: string[];
    notRaised: string[];
  };
}

const MiB = 1024 * 1024;

export function manyIdleSize(mode: Mode): { count: number; holdMs: number; settleMs: number } {
  if (mode === 'smoke') return { count: 300, holdMs: 1000, settleMs: 500 };
  // A full hold spans a Socket.IO ping interval (25 s): every client's ping is part of holding it.
  if (mode === 'quick') return { count: 6000, holdMs: 10_000, settleMs: 3000 };
  return { count: 50_000, holdMs: 30_000, settleMs: 10_000 };
}

/** Open files of a process (entries of /proc/<pid>/fd). */
function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** The soft open-file limit of a running process. */
function openFileLimitOf(pid: number): number {
  const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/**
 * Raises this process's soft open-file limit to `needed` (up to the hard
 * limit) with prlimit, so that cluster.sh and everything the bench forks
 * inherit it. Raising the hard limit needs CAP_SYS_RESOURCE and is not tried:
 * the step is sized so that every process stays under the machine's limit.
 */
function raiseOpenFiles(needed: number, nginxNeeds: number): ManyIdleResult['limits'] {
  const before = openFileLimits();
  const raised: string[] = [];
  const notRaised: string[] = [];
  if (before.soft < needed) {
    const soft = Math.min(needed, before.hard);
    try {
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${soft}:${before.hard}`], { stdio: 'pipe' });
      raised.push(`soft open-file limit ${before.soft} → ${soft} (prlimit; inherited by cluster.sh, the nodes, nginx and the load generators)`);
    } catch (err) {
      notRaised.push(`soft open-file limit ${before.soft}: prlimit failed (${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (before.hard < needed) {
    notRaised.push(`hard open-file limit ${before.hard} is below the ${needed} one process needs (raising it needs CAP_SYS_RESOURCE)`);
  } else if (before.hard < Number.MAX_SAFE_INTEGER) {
    // Whether the hard limit could be raised at all (tried on a throwaway child, not kept).
    try {
      execFileSync('prlimit', [`--nofile=${before.hard + 1}:${before.hard + 1}`, 'true'], { stdio: 'pipe' });
    } catch (err) {
      const why = /:\s*([^:\n]+)\s*$/m.exec((err as { stderr?: Buffer }).stderr?.toString() ?? '')?.[1] ?? 'prlimit failed';
      notRaised.push(
        `hard open-file limit ${before.hard} (${why}); not needed: a node needs at most ${needed} files, an nginx worker ${nginxNeeds}`,
      );
    }
  }
  if (before.hard < nginxNeeds) {
    notRaised.push(`hard open-file limit ${before.hard} is below the ${nginxNeeds} files an nginx worker is given (worker_rlimit_nofile)`);
  }
  const after = openFileLimits();
  return { openFileSoft: after.soft, openFileHard: after.hard, raised, notRaised };
}

/** Redis INFO memory, in bytes. */
function redisMemory(port: number): { used: number; rss: number } {
  const info = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'info', 'memory'], { encoding: 'utf8' });
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  return { used: field('used_memory'), rss: field('used_memory_rss') };
}

/**
 * A node's connection count and its event-loop lag p99 in seconds, from one
 * read of its /metrics (prom-client restarts the lag histogram on every read,
 * so the p99 covers the time since the previous read).
 */
async function nodeMetrics(nodeUrl: string): Promise<{ connections: number | null; lagP99S: number | null }> {
  const { body } = await httpGet(`${nodeUrl}/metrics`, undefined, 10_000);
  const value = (name: string): number | null => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(body);
    return m ? Number(m[1]) : null;
  };
  return { connections: value('parley_connections'), lagP99S: value('nodejs_eventloop_lag_p99_seconds') };
}

/**
 * Source addresses for `perNode` load generators on every node: nginx's
 * /health from each candidate address names the node it hashes that address to.
 */
async function addressesByNode(nginxUrl: string, nodes: number, perNode: number): Promise<Map<string, string[]>> {
  const byNode = new Map<string, string[]>();
  const full = (): boolean => byNode.size === nodes && [...byNode.values()].every((a) => a.length >= perNode);
  for (let third = 0; third < 256 && !full(); third++) {
    for (let fourth = third === 0 ? 2 : 1; fourth < 255 && !full(); fourth++) {
      const address = `127.0.${third}.${fourth}`;
      const agent = new http.Agent({ localAddress: address });
      try {
        const { nodeId } = await getJson<{ nodeId: string }>(`${nginxUrl}/health`, agent);
        const list = byNode.get(nodeId) ?? [];
        if (list.length < perNode) byNode.set(nodeId, [...list, address]);
      } finally {
        agent.destroy();
      }
    }
  }
  if (!full()) throw new Error(`nginx did not spread 127.0.x.y over ${nodes} nodes with ${perNode} addresses each`);
  return byNode;
}

/** PIDs of nginx's workers (children of the master cluster.sh recorded). */
function nginxWorkers(masterPid: number): number[] {
  try {
    return readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function manyIdle(ctx: BenchContext): Promise<ManyIdleResult> {
  const size = manyIdleSize(ctx.mode);
  const perNode = Array.from({ length: MANY_IDLE_NODES }, (_, i) =>
    Math.floor(size.count / MANY_IDLE_NODES) + (i < size.count % MANY_IDLE_NODES ? 1 : 0),
  );
  const workersPerNode = Math.ceil(perNode[0]! / SOCKETS_PER_WORKER);
  // The most files one process needs is a node's sockets (a load generator
  // holds a share of one node's); nginx workers set their own limit
  // (worker_rlimit_nofile = worker_connections + 1024), with room for twice
  // their share of both sides. Smoke stays within default limits.
  const nginxPerWorker = Math.ceil((2 * size.count) / NGINX_WORKERS);
  const workerConnections = Math.min(NGINX_WORKER_CONNECTIONS, Math.max(512, 2 * nginxPerWorker));
  const limits = raiseOpenFiles(perNode[0]! + FILE_MARGIN, workerConnections + 1024);

  ctx.progress.step(`many-idle: cluster.sh up (${MANY_IDLE_NODES} nodes, Redis, PostgreSQL, nginx)`);
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'parley-many-idle-'));
  let cluster: Cluster | undefined;
  let pids: Record<string, number> = {};
  const teardown = async (): Promise<void> => {
    await tearDown(cluster, pids);
    rmSync(runDir, { recursive: true, force: true });
  };
  ctx.group.defer(teardown);
  const workers: Worker[] = [];
  try {
    cluster = await clusterOnFreePorts(runDir, MANY_IDLE_NODES, {
      ...LOAD_ENV,
      NGINX_WORKERS: String(NGINX_WORKERS),
      NGINX_WORKER_CONNECTIONS: String(workerConnections),
      NGINX_REUSEPORT: 'on',
      UP_TIMEOUT_S: '50',
    });
    await cluster.sh('up');
    pids = readPids(runDir);
    const c = cluster;
    const nodeUrls = Array.from({ length: MANY_IDLE_NODES }, (_, i) => c.nodeUrl(i + 1));
    const nodeNames = nodeUrls.map((_, i) => `node-${i + 1}`);

    ctx.progress.step('many-idle: which node nginx sends each loopback address to');
    const byNode = await addressesByNode(c.nginxUrl, MANY_IDLE_NODES, workersPerNode);

    await sleep(size.settleMs);
    const rssBefore = await Promise.all(nodeNames.map((n) => rssBytes(pids[n]!)));
    const redisBefore = redisMemory(c.redisPort);

    ctx.progress.step(`many-idle: ${size.count.toLocaleString('en-US')} idle clients through nginx`);
    const jobs: Promise<ConnectResult>[] = [];
    const doneBy: number[] = [];
    const t0 = performance.now();
    nodeNames.forEach((name, n) => {
      const addresses = byNode.get(name);
      if (!addresses) throw new Error(`nginx sent no address to ${name}`);
      for (let w = 0; w < workersPerNode; w++) {
        const count = Math.floor(perNode[n]! / workersPerNode) + (w < perNode[n]! % workersPerNode ? 1 : 0);
        const worker = Worker.start(ctx.group, `idle-${name}-${w + 1}`);
        workers.push(worker);
        const index = doneBy.push(0) - 1;
        jobs.push(
          worker.connect({ url: c.nginxUrl, count, concurrency: CONCURRENCY, localAddress: addresses[w]!, retries: CONNECT_RETRIES }, (done) => {
            doneBy[index] = done;
            ctx.progress.update(`${doneBy.reduce((a, b) => a + b, 0).toLocaleString('en-US')} connected`);
          }),
        );
      }
    });
    const connected = await Promise.all(jobs);
    const connectS = (performance.now() - t0) / 1000;
    const failed = connected.reduce((a, r) => a + r.failed, 0);
    const retried = connected.reduce((a, r) => a + r.retried, 0);
    const failureReasons: Record<string, number> = {};
    for (const r of connected) for (const [why, n] of Object.entries(r.reasons)) failureReasons[why] = (failureReasons[why] ?? 0) + n;

    await sleep(size.settleMs);
    ctx.progress.update('holding, probing every node');
    // Restarts each node's lag histogram, so that its p99 covers the hold only.
    await Promise.all(nodeUrls.map(nodeMetrics));
    const probes = await Promise.all(nodeUrls.map((url) => probe(`${url}/api/config`, size.holdMs)));
    const nodes: ManyIdleNode[] = [];
    for (const [i, name] of nodeNames.entries()) {
      const pid = pids[name]!;
      const rss = await rssBytes(pid);
      const { connections: count, lagP99S: lag } = await nodeMetrics(nodeUrls[i]!);
      nodes.push({
        node: name,
        connections: count ?? 0,
        rssBeforeMiB: round(rssBefore[i]! / MiB, 1),
        rssMiB: round(rss / MiB, 1),
        kibPerConnection: count ? round((rss - rssBefore[i]!) / 1024 / count, 1) : NaN,
        probeMs: probes[i]!,
        lagP99Ms: lag === null ? null : round(lag * 1000, 1),
        openFiles: openFiles(pid),
        openFileLimit: openFileLimitOf(pid),
      });
    }
    const held = nodes.reduce((a, n) => a + n.connections, 0);
    const redisAfter = redisMemory(c.redisPort);
    const nginxFiles = nginxWorkers(pids.nginx ?? 0).map(openFiles);
    return {
      requested: size.count,
      held,
      failed,
      retried,
      failureReasons,
      nodes,
      connectS: round(connectS, 1),
      loadProcesses: workers.length,
      sourceAddresses: workers.length,
      holdS: size.holdMs / 1000,
      redis: {
        usedBeforeMiB: round(redisBefore.used / MiB, 1),
        usedMiB: round(redisAfter.used / MiB, 1),
        rssMiB: round(redisAfter.rss / MiB, 1),
        bytesPerConnection: held > 0 ? Math.round((redisAfter.used - redisBefore.used) / held) : NaN,
      },
      nginx: {
        workers: NGINX_WORKERS,
        workerConnections,
        busiestWorkerFiles: nginxFiles.length ? Math.max(...nginxFiles) : null,
      },
      limits,
    };
  } finally {
    ctx.progress.step('many-idle: closing clients, cluster.sh down');
    await Promise.all(workers.map((w) => w.close()));
    await ctx.group.runDeferred(teardown);
  }
}
