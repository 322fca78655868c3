/** Read positions in this process (the single node without PostgreSQL). */
import type { ReadMark, RoomReadsStore } from '../room-reads';

export class MemoryRoomReads implements RoomReadsStore {
  /** "<user>\n<code>" → read seq. */
  private readonly positions = new Map<string, number>();

  async markRead(userId: string, code: string, seq: number): Promise<ReadMark> {
    const key = `${userId}\n${code}`;
    const now = this.positions.get(key) ?? 0;
    if (seq <= now) return { readSeq: now, changed: false };
    this.positions.set(key, seq);
    return { readSeq: seq, changed: true };
  }

  async readSeq(userId: string, code: string): Promise<number> {
    return this.positions.get(`${userId}\n${code}`) ?? 0;
  }

  async forget(userId: string): Promise<void> {
    for (const key of this.positions.keys()) if (key.startsWith(`${userId}\n`)) this.positions.delete(key);
  }
}
