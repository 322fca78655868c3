/**
 * Presence and keep-in-touch offers in Redis, for the cluster. Presence steps
 * are Lua scripts (./lua/presence/) over keys of one hash tag; an offer
 * is one MULTI on one key.
 */
import type { OfferResult, PresenceArrival, PresenceState, PresenceStore } from '../presence-store';
import { call } from './call';
import type { ContactKeys } from './keys';
import { defineScripts, type ParleyCommands, type RedisClient } from './scripts';

type PresenceCommands = Pick<ParleyCommands, 'presenceConnect' | 'presenceDisconnect' | 'presenceExpire' | 'presenceSweep'>;

export class RedisPresenceStore implements PresenceStore {
  private readonly run: PresenceCommands;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ContactKeys,
  ) {
    this.run = defineScripts(redis);
  }

  connect(userId: string, sid: string, node: string): Promise<PresenceArrival> {
    const k = this.keys;
    return call(async () => {
      const before = Number(await this.run.presenceConnect(k.presence(userId), k.away, k.node(node), userId, `${node}\n${sid}`));
      return before === 1 ? 'arrived' : before === 2 ? 'back' : 'live';
    });
  }

  disconnect(userId: string, sid: string, node: string, until: number): Promise<boolean> {
    const k = this.keys;
    return call(async () => (await this.run.presenceDisconnect(k.presence(userId), k.away, userId, `${node}\n${sid}`, until)) === 1);
  }

  expire(now: number, limit: number): Promise<string[]> {
    return call(async () => ((await this.run.presenceExpire(this.keys.away, this.keys.base, now, limit)) as string[]).map(String));
  }

  sweepNode(node: string, until: number): Promise<void> {
    return call(async () => {
      await this.run.presenceSweep(this.keys.node(node), this.keys.away, this.keys.base, node, until);
    });
  }

  present(userIds: readonly string[]): Promise<PresenceState[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return call(async () => {
      // One hash tag: both reads in one transaction, so a user is never seen half-way through a step.
      const replies = await this.redis
        .multi()
        .mget(userIds.map((id) => this.keys.presence(id)))
        .zmscore(this.keys.away, ...userIds)
        .exec();
      if (!replies || replies.some(([err]) => err)) throw new Error('presence read failed');
      const live = replies[0]![1] as (string | null)[];
      const away = replies[1]![1] as (string | null)[];
      return userIds.map((_, i) => (live[i] === null ? 'absent' : away[i] !== null ? 'away' : 'live'));
    });
  }

  forget(userId: string): Promise<void> {
    return call(async () => {
      await this.redis.multi().del(this.keys.presence(userId)).zrem(this.keys.away, userId).exec();
    });
  }

  offer(roomId: string, userId: string, partnerId: string, ttlMs: number, _now?: number): Promise<OfferResult> {
    const key = this.keys.offer(roomId);
    return call(async () => {
      const replies = await this.redis.multi().hsetnx(key, userId, partnerId).pexpire(key, ttlMs, 'NX').hexists(key, partnerId).exec();
      if (!replies || replies.some(([err]) => err)) throw new Error('offer transaction failed');
      return { added: replies[0]![1] === 1, mutual: replies[2]![1] === 1 };
    });
  }
}
