/**
 * Backstages in Redis: the link both ways (a string under each room's tag)
 * and the invitations (a set under the parent's tag). SET NX decides which
 * code a parent keeps when two open it at once; the way back is written after
 * it, idempotently, so an open cut half-way is completed by the next one.
 */
import { call } from './call';
import type { RoomKeys } from './keys';
import type { RedisClient } from './scripts';
import type { RoomBackstagesStore } from '../room-backstages';

export class RedisRoomBackstages implements RoomBackstagesStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RoomKeys,
  ) {}

  open(parent: string, code: string): Promise<string> {
    return call(async () => {
      const set = await this.redis.set(this.keys.backstage(parent), code, 'NX');
      const held = set === 'OK' ? code : ((await this.redis.get(this.keys.backstage(parent))) ?? code);
      await this.redis.set(this.keys.backstageParent(held), parent);
      return held;
    });
  }

  backstageOf(parent: string): Promise<string | null> {
    return call(() => this.redis.get(this.keys.backstage(parent)));
  }

  parentOf(code: string): Promise<string | null> {
    return call(() => this.redis.get(this.keys.backstageParent(code)));
  }

  invite(parent: string, userId: string): Promise<void> {
    return call(async () => {
      await this.redis.sadd(this.keys.backstageInvites(parent), userId);
    });
  }

  uninvite(parent: string, userId: string): Promise<void> {
    return call(async () => {
      await this.redis.srem(this.keys.backstageInvites(parent), userId);
    });
  }

  invited(parent: string, userId: string): Promise<boolean> {
    return call(async () => (await this.redis.sismember(this.keys.backstageInvites(parent), userId)) === 1);
  }

  invitees(parent: string): Promise<string[]> {
    return call(() => this.redis.smembers(this.keys.backstageInvites(parent)));
  }
}
