/** Read positions: how far each member read a room, and its unread count from there. */
import type { RoomUnreadEvent } from '../protocol';
import type { RoomServiceDeps } from './room-deps';
import { notInRoom } from './room-refusals';

/** Messages after a read position (never below 0: a position past a room made again under the same code). */
export const unreadOf = (lastSeq: number, readSeq: number): number => Math.max(0, lastSeq - readSeq);

export class RoomUnread {
  constructor(private readonly deps: RoomServiceDeps) {}

  /** Where the user stands in each of the rooms (sent at connect). */
  async counts(userId: string, codes: readonly string[]): Promise<RoomUnreadEvent[]> {
    const { store, reads } = this.deps;
    return Promise.all(
      codes.map(async (code) => {
        const [lastSeq, readSeq] = await Promise.all([store.lastSeq(code), reads.readSeq(userId, code)]);
        return { code, unread: unreadOf(lastSeq, readSeq), readSeq };
      }),
    );
  }

  /** `room-read`: the member read the room up to `seq` (at most its last seq); every device of the identity is told its new count. */
  async read(userId: string, code: string, seq: number): Promise<void> {
    const { store, reads, clock } = this.deps;
    if (!(await store.member(code, userId))) throw await notInRoom(this.deps, code);
    const lastSeq = await store.lastSeq(code);
    const mark = await reads.markRead(userId, code, Math.min(seq, lastSeq), clock.now());
    if (mark.changed) this.deps.notifier.unread(userId, { code, unread: unreadOf(lastSeq, mark.readSeq), readSeq: mark.readSeq });
  }
}
