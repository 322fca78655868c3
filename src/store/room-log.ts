/**
 * The durable hand-off between the message path and PostgreSQL: every room
 * change is appended here when it is acknowledged, and the archiver writes it
 * to PostgreSQL in the background, acknowledging entries only once written.
 * Redis implements it with a stream and a consumer group (any node may write;
 * a dead writer's entries are claimed by another), the single node with a
 * queue in memory.
 */
import type { RoomRecord, StoredRoomMessage } from './rooms-store';

export type RoomEvent =
  | { kind: 'room'; room: RoomRecord }
  | { kind: 'message'; code: string; message: StoredRoomMessage }
  | { kind: 'delete'; code: string; seq: number };

export interface LoggedRoomEvent {
  id: string;
  event: RoomEvent;
}

export interface RoomLog {
  append(event: RoomEvent): Promise<void>;
  /**
   * Up to `count` entries not yet acknowledged, oldest first: this
   * consumer's own unacknowledged ones first, then ones a silent consumer
   * abandoned, then new ones.
   */
  read(consumer: string, count: number): Promise<LoggedRoomEvent[]>;
  /** The entries are written: forget them. */
  ack(ids: readonly string[]): Promise<void>;
}
