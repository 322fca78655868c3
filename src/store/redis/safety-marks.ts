/**
 * The cluster's safety marks: blocks (./lua/safety, read by pairing's
 * script), rules acceptance and one-time claims, each a key with its expiry.
 */
import { RULES_ACCEPTANCE_TTL_MS, type SafetyMarks } from '../safety-marks';
import { RedisMatchPart } from './match-state';

export class RedisSafetyMarks extends RedisMatchPart implements SafetyMarks {
  block(userId: string, now: number, ttlMs: number): Promise<string | null> {
    return this.guard('block', async () => {
      const r = await this.redis.block(this.keys.user(userId), this.keys.base, userId, now, ttlMs);
      return typeof r === 'string' ? r : null;
    });
  }

  blockUser(userId: string, targetId: string, now: number, ttlMs: number): Promise<void> {
    return this.guard('blockUser', async () => {
      const key = this.keys.blocks(userId);
      // One transaction on one key: the same record the block script writes.
      await this.redis.multi().zadd(key, now + ttlMs, targetId).zremrangebyscore(key, '-inf', now).pexpire(key, ttlMs).exec();
    });
  }

  blockedUntil(by: string, target: string, now: number): Promise<number> {
    return this.guard('blockedUntil', async () => {
      const until = Number((await this.redis.zscore(this.keys.blocks(by), target)) ?? 0);
      return until > now ? until : 0;
    });
  }

  acceptRules(userId: string, version: string): Promise<void> {
    return this.guard('acceptRules', async () => {
      await this.redis.set(this.keys.rulesAccepted(userId), version, 'PX', RULES_ACCEPTANCE_TTL_MS);
    });
  }

  acceptedRules(userId: string): Promise<string | null> {
    return this.guard('acceptedRules', () => this.redis.get(this.keys.rulesAccepted(userId)));
  }

  claimOnce(id: string, ttlMs: number): Promise<boolean> {
    return this.guard('claimOnce', async () => {
      const r = await this.redis.set(this.keys.once(id), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
      return r === 'OK';
    });
  }
}
