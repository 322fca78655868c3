/**
 * Writes matchmaking state straight into Redis, for pools too large or too
 * contrived to build through clients: rematch histories that make users
 * ineligible for each other, and "ghost" waiters — users waiting in the open
 * pool with no client behind them.
 *
 * The layout mirrors what the Lua scripts write (src/store/lua/enqueue-1.lua,
 * includes/pools.lua, attach-1.lua, commit-pair-2.lua), with every key name
 * from the one key builder (src/store/keys.ts). test/bench/pool-seed.test.ts
 * checks a ghost against a waiter made by the real store, so a change of the
 * layout shows up there rather than as a silently wrong benchmark.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createKeys, type Keys } from '../../src/store/redis/keys';

/** Commands queued per pipeline flush: bounds client memory on big seeds. */
const FLUSH_EVERY = 2000;
/** Members per ZADD: keeps each command a moderate size. */
const MEMBERS_PER_ZADD = 1000;
/** Pipelines in flight at once. */
const IN_FLIGHT = 4;

export interface GhostOptions {
  /** Search start (epoch ms) of every ghost written by this call. */
  since: number;
  /**
   * Node ids to record as each ghost's live connection, round-robin (the
   * `node` and `sid` fields plus the node's member set, as attach-1.lua
   * writes them). Use ids of live nodes: a waiter whose node is dead may be
   * swept. Empty: no connection fields.
   */
  nodeIds?: readonly string[];
}

/** Fresh user ids in the server's format (21 characters of [A-Za-z0-9_-]), starting with "ghost". */
export function ghostIds(count: number): string[] {
  return Array.from({ length: count }, () => `ghost${randomBytes(12).toString('base64url')}`);
}

export class PoolSeed {
  readonly keys: Keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = createKeys(prefix);
  }

  /**
   * Records that `user` chatted with each of `others` at `at` (epoch ms), in
   * both directions as commit-pair-2.lua does, or only in `user`'s history
   * with `oneWay` (enough to keep a ghost away from a user who searches:
   * the seeker's history is what the rules read). With a rematch window
   * longer than the run, none of these pairs can be matched again.
   */
  async chatted(user: string, others: readonly string[], at: number, options: { oneWay?: boolean } = {}): Promise<void> {
    const batch = new Batch(this.redis);
    for (let i = 0; i < others.length; i += MEMBERS_PER_ZADD) {
      const chunk = others.slice(i, i + MEMBERS_PER_ZADD);
      await batch.add((p) => p.zadd(this.keys.history(user), ...chunk.flatMap((o) => [at, o])));
    }
    if (!options.oneWay) for (const other of others) await batch.add((p) => p.zadd(this.keys.history(other), at, user));
    await batch.flush();
  }

  /**
   * Every pair of `users` has chatted, both ways: users² history entries
   * (1,000 users ≈ 10⁶ entries, ~100 MB of Redis; 10,000 would be ~10 GB,
   * which is what ghosts avoid).
   */
  async allChatted(users: readonly string[], at: number): Promise<void> {
    const batch = new Batch(this.redis);
    for (const user of users) {
      for (let i = 0; i < users.length; i += MEMBERS_PER_ZADD) {
        const chunk = users.slice(i, i + MEMBERS_PER_ZADD).filter((o) => o !== user);
        if (chunk.length) await batch.add((p) => p.zadd(this.keys.history(user), ...chunk.flatMap((o) => [at, o])));
      }
    }
    await batch.flush();
  }

  /**
   * Writes ghost waiters with these ids (see ghostIds): users in state
   * `waiting` with no interests, active and in the open pool, scored by
   * `since` in the open pool and the waiting set, and counted online — what
   * enqueue-1.lua leaves for a user who searched without interests and
   * without a cooldown. No node
   * runs a search for them, so they never look for a partner themselves; they
   * are only ever candidates. To keep them away from real users, seed the
   * real users' histories first (`chatted(user, ghosts, at, { oneWay: true })`):
   * a ghost enters the pool the moment it is written.
   */
  async ghosts(ids: readonly string[], options: GhostOptions): Promise<void> {
    const nodes = options.nodeIds ?? [];
    const since = String(options.since);
    const batch = new Batch(this.redis);
    for (const [i, id] of ids.entries()) {
      const node = nodes.length ? nodes[i % nodes.length]! : null;
      await batch.add((p) =>
        p.hset(this.keys.user(id), {
          state: 'waiting',
          interests: '[]',
          langs: '[]',
          since,
          active: '1',
          open: '1',
          anylang: '1',
          ...(node ? { sid: `ghost-sid-${id}`, node } : {}),
        }),
      );
      // The node's set of connected users; the key builder has no name for it, the scripts build it.
      if (node) await batch.add((p) => p.sadd(`${this.keys.base}n:${node}`, id));
    }
    for (let i = 0; i < ids.length; i += MEMBERS_PER_ZADD) {
      const members = ids.slice(i, i + MEMBERS_PER_ZADD).flatMap((id) => [since, id]);
      await batch.add((p) => p.zadd(this.keys.openPool, ...members));
      await batch.add((p) => p.zadd(this.keys.waiting, ...members));
      await batch.add((p) => p.sadd(this.keys.online, ...ids.slice(i, i + MEMBERS_PER_ZADD)));
    }
    // Counted as waiting in any language ('*'), as the enqueue script counts a search without languages.
    if (ids.length > 0) await batch.add((p) => p.hincrby(this.keys.languageCounts, '*', ids.length));
    await batch.flush();
  }

  /** How many of `ids` are no longer waiting (paired, or removed from the pool). */
  async notWaiting(ids: readonly string[]): Promise<number> {
    let gone = 0;
    for (let i = 0; i < ids.length; i += FLUSH_EVERY) {
      const p = this.redis.pipeline();
      for (const id of ids.slice(i, i + FLUSH_EVERY)) p.hget(this.keys.user(id), 'state');
      for (const [err, state] of (await p.exec()) ?? []) if (err || state !== 'waiting') gone++;
    }
    return gone;
  }
}

type Pipeline = ReturnType<Redis['pipeline']>;

/**
 * A pipeline sent every FLUSH_EVERY commands, at most IN_FLIGHT at once;
 * fails on the first command error.
 */
class Batch {
  private pipeline: Pipeline;
  private queued = 0;
  private sent: Promise<void>[] = [];

  constructor(private readonly redis: Redis) {
    this.pipeline = redis.pipeline();
  }

  async add(command: (p: Pipeline) => void): Promise<void> {
    command(this.pipeline);
    if (++this.queued < FLUSH_EVERY) return;
    this.send();
    if (this.sent.length >= IN_FLIGHT) await this.sent.shift();
  }

  private send(): void {
    if (this.queued === 0) return;
    const sent = this.pipeline.exec().then(failOnError);
    // Handled when awaited; until then a failure must not count as unhandled.
    sent.catch(() => undefined);
    this.sent.push(sent);
    this.pipeline = this.redis.pipeline();
    this.queued = 0;
  }

  async flush(): Promise<void> {
    this.send();
    const sent = this.sent;
    this.sent = [];
    await Promise.all(sent);
  }
}

function failOnError(results: [Error | null, unknown][] | null): void {
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
}
