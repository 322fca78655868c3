/** Read positions in Redis: one hash per user (room code → seq), moved forward by room-read-1.lua. */
import { call } from './call';
import type { RoomKeys } from './keys';
import { defineScripts, type ParleyCommands, type RedisClient } from './scripts';
import { READS_TTL_MS, type ReadMark, type RoomReadsStore } from '../room-reads';

export class RedisRoomReads implements RoomReadsStore {
  private readonly run: Pick<ParleyCommands, 'roomRead'>;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RoomKeys,
  ) {
    this.run = defineScripts(redis);
  }

  markRead(userId: string, code: string, seq: number): Promise<ReadMark> {
    return call(async () => {
      const [readSeq, changed] = (await this.run.roomRead(this.keys.reads(userId), code, seq, READS_TTL_MS)) as [number, number];
      return { readSeq: Number(readSeq), changed: Number(changed) === 1 };
    });
  }

  readSeq(userId: string, code: string): Promise<number> {
    return call(async () => Number((await this.redis.hget(this.keys.reads(userId), code)) ?? 0));
  }

  forget(userId: string): Promise<void> {
    return call(async () => {
      await this.redis.del(this.keys.reads(userId));
    });
  }
}
