/**
 * What the capacity and soak scenarios read from the system under load: each
 * node's /metrics (event-loop lag p99 since the previous scrape, RSS, heap),
 * Redis (used memory, keys, commands), PostgreSQL (database size, commits).
 */
import { readFile } from 'node:fs/promises';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { commandStats, type NodeHandle } from '../lib/cluster';
import { httpGet } from '../../testkit/http';
import { redisCommand } from '../../testkit/redis-server';

export interface NodeSample {
  /** prom-client's event-loop delay p99 since the previous scrape, ms. */
  lagP99Ms: number;
  rssMiB: number;
  heapMiB: number;
}

export interface StoreSample {
  redisUsedMiB: number;
  redisKeys: number;
  /** Commands processed so far (a counter; Redis 7 counts the commands run inside scripts too). */
  redisCommands: number;
  /** Calls so far by command (INFO commandstats: commands run inside scripts included). */
  redisByCommand: Record<string, number>;
  pgSizeMiB: number;
  /** Transactions committed so far in the database (a counter). */
  pgCommits: number;
}

const MiB = 2 ** 20;

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([^\\s]+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/** A node that does not answer /metrics within this long counts as lagging this long. */
const SCRAPE_TIMEOUT_MS = 5000;

export async function sampleNode(node: NodeHandle): Promise<NodeSample> {
  try {
    const { body } = await httpGet(`${node.url}/metrics`, undefined, SCRAPE_TIMEOUT_MS);
    return {
      lagP99Ms: metric(body, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      rssMiB: metric(body, 'process_resident_memory_bytes') / MiB,
      heapMiB: metric(body, 'nodejs_heap_size_used_bytes') / MiB,
    };
  } catch {
    // Overloaded past answering: the step breaks on lag, and the run goes on.
    const status = await readFile(`/proc/${node.proc.pid}/status`, 'utf8').catch(() => '');
    const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    return { lagP99Ms: SCRAPE_TIMEOUT_MS, rssMiB: (rssKiB * 1024) / MiB, heapMiB: 0 };
  }
}

export async function sampleStores(redisPort: number, pg: Pool): Promise<StoreSample> {
  const [memory, stats, byCommand, keys, pgRow] = await Promise.all([
    redisCommand(redisPort, ['INFO', 'memory']),
    redisCommand(redisPort, ['INFO', 'stats']),
    commandStats(redisPort),
    redisCommand(redisPort, ['DBSIZE']),
    pg.query<{ size: string; commits: string }>(
      'SELECT pg_database_size(current_database()) AS size, xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()',
    ),
  ]);
  return {
    redisUsedMiB: Number(/used_memory:(\d+)/.exec(memory)?.[1]) / MiB,
    redisKeys: Number(keys),
    redisCommands: Number(/total_commands_processed:(\d+)/.exec(stats)?.[1]),
    redisByCommand: byCommand,
    pgSizeMiB: Number(pgRow.rows[0]?.size) / MiB,
    pgCommits: Number(pgRow.rows[0]?.commits),
  };
}

/** Least-squares slope of y over x (per unit of x). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return NaN;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/**
 * Redis keys counted by shape (segments that look like ids become `*`), most
 * numerous first, with how many of them carry a TTL: what grows, and whether it expires.
 */
export async function keyShapes(url: string, top = 8): Promise<{ shape: string; keys: number; withTtl: number }[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const shapes = new Map<string, { keys: number; withTtl: number }>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
      keys.forEach((key, i) => {
        const shape = key.split(':').map((seg) => (/[0-9]/.test(seg) || seg.length >= 16 ? '*' : seg)).join(':');
        const entry = shapes.get(shape) ?? { keys: 0, withTtl: 0 };
        entry.keys++;
        if (ttls[i]! >= 0) entry.withTtl++;
        shapes.set(shape, entry);
      });
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return [...shapes].map(([shape, v]) => ({ shape, ...v })).sort((a, b) => b.keys - a.keys).slice(0, top);
}
