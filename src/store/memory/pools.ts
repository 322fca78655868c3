/** The in-memory counterpart of a Redis sorted set of waiters. */
import type { ChatMode } from '../../protocol';
import { poolKey, poolOrder } from '../match-pools';
import type { CandidateQuery, PoolCursor } from '../match-store';

/** Ordered by (since, id), like a Redis sorted set scored by since. */
export class Pool {
  private readonly scores = new Map<string, number>();
  private readonly order: { id: string; score: number }[] = [];

  private position(id: string, score: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.order[mid]!;
      if (m.score < score || (m.score === score && m.id < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(id: string, score: number): void {
    this.remove(id);
    this.scores.set(id, score);
    this.order.splice(this.position(id, score), 0, { id, score });
  }

  remove(id: string): void {
    const score = this.scores.get(id);
    if (score === undefined) return;
    this.scores.delete(id);
    this.order.splice(this.position(id, score), 1);
  }

  /**
   * Up to `count` members after (score, id) in pool order; id '' starts at
   * the lowest member. `ended` once the read reached the highest member.
   */
  after(score: number, id: string, count: number): { members: { id: string; score: number }[]; ended: boolean } {
    const from = id === '' ? 0 : this.position(id, score) + (this.scores.get(id) === score ? 1 : 0);
    const members = this.order.slice(from, from + count).map((m) => ({ ...m }));
    return { members, ended: from + count > this.order.length };
  }

  get size(): number {
    return this.order.length;
  }

  /**
   * The `head` lowest members, the `near` members on each side of `id` (when
   * it is a member), then the `tail` highest; possibly with repeats.
   */
  window(head: number, near: number, tail: number, id: string): string[] {
    const out = this.order.slice(0, head);
    const score = this.scores.get(id);
    if (near > 0 && score !== undefined) {
      const at = this.position(id, score);
      out.push(...this.order.slice(Math.max(at - near, head), at + near + 1));
    }
    if (tail > 0) out.push(...this.order.slice(Math.max(head, this.order.length - tail)));
    return out.map((m) => m.id);
  }
}

/**
 * One page of a walk through `pools` in order, like candidates-1.lua: up to
 * `page` members from `cursor` on, each handed to `visit`. Returns where the
 * next page starts, or null once the page passed the end of the last pool.
 */
export function readPage(
  pools: readonly (Pool | undefined)[],
  cursor: PoolCursor | undefined,
  page: number,
  visit: (id: string) => void,
): PoolCursor | null {
  let { pool: at, since, after } = cursor ?? { pool: 0, since: 0, after: '' };
  let budget = page;
  while (budget > 0 && at < pools.length) {
    const read = pools[at]?.after(since, after, budget) ?? { members: [], ended: true };
    for (const m of read.members) {
      visit(m.id);
      [since, after] = [m.score, m.id];
    }
    budget -= read.members.length;
    if (read.ended) [at, since, after] = [at + 1, 0, ''];
  }
  return at < pools.length ? { pool: at, since, after } : null;
}

/**
 * Every pool of the single node, as in the Redis store (and named as there):
 * per mode and scope (each primary language, and any language) one pool per
 * interest and the open pool, each dropped when empty.
 */
export class Pools {
  private readonly pools = new Map<string, Pool>();

  /** Enters the pools of each language (and of any language when `anyLanguage`); those of `open` too when open. */
  enter(
    id: string,
    interests: readonly string[],
    since: number,
    open: boolean,
    languages: readonly string[],
    anyLanguage: boolean,
    mode: ChatMode,
  ): void {
    for (const ref of poolOrder({ interests, open, languages, anyLanguage, mode })) {
      const key = poolKey(ref);
      let pool = this.pools.get(key);
      if (!pool) {
        pool = new Pool();
        this.pools.set(key, pool);
      }
      pool.add(id, since);
    }
  }

  leave(id: string, interests: readonly string[], languages: readonly string[], mode: ChatMode): void {
    for (const ref of poolOrder({ interests, open: true, languages, anyLanguage: true, mode })) {
      const key = poolKey(ref);
      const pool = this.pools.get(key);
      pool?.remove(id);
      if (pool?.size === 0) this.pools.delete(key);
    }
  }

  /** The pools a search reads, in `poolOrder`. */
  select(query: Pick<CandidateQuery, 'interests' | 'open' | 'languages' | 'anyLanguage' | 'mode'>): (Pool | undefined)[] {
    return poolOrder(query).map((ref) => this.pools.get(poolKey(ref)));
  }
}
