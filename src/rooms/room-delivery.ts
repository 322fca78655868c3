/**
 * Hands a node's members each room change once, in seq order, with no hole.
 * The feed already arrives in seq order; what it can lose is what was
 * published while its subscription was away. A message whose seq skips past
 * the last one handed over is therefore preceded by the missing ones, read
 * from the store; and once the feed confirms a room's subscription again, the
 * room is read up to date (`catchUp`), so even a room's last message, which
 * no later one would reveal missing, is handed over. Plain code: the feed,
 * the store and the transport come in as functions.
 */
import type { RoomFeedEvent } from '../store/room-feed';
import type { StoredRoomMessage } from '../store/rooms-store';

/** Most messages read to fill one hole (as many as a `sinceSeq` rejoin returns). */
export const FILL_LIMIT = 500;
/** A catch-up the store failed is tried again after this long, doubling up to the maximum. */
export const CATCH_UP_RETRY_MS = 250;
const CATCH_UP_RETRY_MAX_MS = 4000;

export interface RoomDeliveryDeps {
  /** Stored messages of the room with seq above `after`, oldest first. */
  messagesAfter(code: string, after: number, limit: number): Promise<StoredRoomMessage[]>;
  /** The room's last seq now. */
  lastSeq(code: string): Promise<number>;
  /** Hands a change to this node's members of the room. */
  deliver(code: string, event: RoomFeedEvent): void;
  onError(err: unknown): void;
}

interface Followed {
  /** Seq of the last message handed over; below it everything was handed over or was never needed. */
  last: number;
  /** Changes of the room are handled one after the other, the first being the read of the room's seq. */
  queue: Promise<void>;
  /** Settles once that first read is done. */
  started: Promise<void>;
}

export class RoomDelivery {
  private readonly rooms = new Map<string, Followed>();

  constructor(private readonly deps: RoomDeliveryDeps) {}

  /**
   * Starts handing over the room's changes. Call once the feed follows the
   * room, before the joining member reads its messages: everything after the
   * room's seq read now is delivered.
   */
  follow(code: string): Promise<void> {
    const known = this.rooms.get(code);
    if (known) return known.started;
    // Changes that arrive while the seq is being read queue up behind the read.
    const room: Followed = { last: Infinity, queue: Promise.resolve(), started: Promise.resolve() };
    room.started = this.deps.lastSeq(code).then(
      (last) => {
        room.last = last;
      },
      (err: unknown) => {
        if (this.rooms.get(code) === room) this.rooms.delete(code);
        throw err;
      },
    );
    room.queue = room.started.catch(() => undefined);
    this.rooms.set(code, room);
    return room.started;
  }

  unfollow(code: string): void {
    this.rooms.delete(code);
  }

  /** A change from the feed. */
  receive(code: string, event: RoomFeedEvent): void {
    this.enqueue(code, async (room) => {
      if (event.kind !== 'message') return this.deps.deliver(code, event);
      const { seq } = event.message;
      if (seq <= room.last) return;
      if (seq > room.last + 1) await this.fill(code, room, seq);
      room.last = seq;
      this.deps.deliver(code, event);
    });
  }

  /**
   * The feed confirmed the room's subscription again: the room catches up
   * from the store. No later message may come to reveal what was missed, so a
   * read that fails (the store is often still recovering at that moment) is
   * tried again until it succeeds or the room is no longer followed.
   */
  catchUp(code: string, delayMs = CATCH_UP_RETRY_MS): void {
    this.enqueue(code, async (room) => {
      try {
        await this.fill(code, room, Infinity);
      } catch (err) {
        this.deps.onError(err);
        const retry = setTimeout(() => {
          if (this.rooms.get(code) === room) this.catchUp(code, Math.min(delayMs * 2, CATCH_UP_RETRY_MAX_MS));
        }, delayMs);
        retry.unref?.();
      }
    });
  }

  private async fill(code: string, room: Followed, before: number): Promise<void> {
    const missed = await this.deps.messagesAfter(code, room.last, FILL_LIMIT);
    for (const message of missed) {
      if (message.seq >= before) break;
      room.last = message.seq;
      this.deps.deliver(code, { kind: 'message', message });
    }
  }

  private enqueue(code: string, step: (room: Followed) => Promise<void> | void): void {
    const room = this.rooms.get(code);
    if (!room) return;
    room.queue = room.queue
      .then(() => (this.rooms.get(code) === room ? step(room) : undefined))
      .catch((err: unknown) => this.deps.onError(err));
  }
}
