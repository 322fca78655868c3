/**
 * The durable hand-off between the message path and PostgreSQL: the rooms
 * store records every change here in the same step as the change itself
 * (when built with an outbox), and the archiver writes it to PostgreSQL in the
 * background, acknowledging entries only once written. Redis implements it
 * with a stream per room (any node may write a room's entries; a dead
 * writer's lease runs out), the single node with a queue in memory.
 */
import type { RoomSettings } from '../protocol';
import type { GrantedRole, MessageEdit, PinRecord, RoomRecord, StoredRoomMessage } from './rooms-store';

export type RoomEvent =
  | { kind: 'room'; room: RoomRecord }
  | { kind: 'message'; code: string; message: StoredRoomMessage }
  | { kind: 'delete'; code: string; seq: number }
  | { kind: 'role'; code: string; userId: string; role: GrantedRole }
  | { kind: 'mute'; code: string; userId: string; until: number }
  | { kind: 'settings'; code: string; settings: RoomSettings }
  | { kind: 'pin'; code: string; pin: PinRecord }
  | { kind: 'unpin'; code: string; seq: number }
  | { kind: 'react'; code: string; seq: number; emoji: string; userId: string; on: boolean }
  | ({ kind: 'edit'; code: string; seq: number } & MessageEdit)
  /** The room was removed: what it left in the archive goes too (after its changes logged before). */
  | { kind: 'gone'; code: string };

export interface LoggedRoomEvent {
  id: string;
  event: RoomEvent;
}

export interface RoomOutbox {
  /**
   * Up to `count` entries not yet acknowledged, each room's in the order of
   * its changes. Entries of the previous read that were not acknowledged are
   * returned again.
   */
  read(consumer: string, count: number): Promise<LoggedRoomEvent[]>;
  /** The entries of the last read are written: forget them. */
  ack(ids: readonly string[]): Promise<void>;
  /** True when the last read left entries behind (a room's share of the batch was full): read again without pausing. */
  hasMore?(): boolean;
  /** The writer stops: what it holds is handed to the others at once. */
  release?(consumer: string): Promise<void>;
}
