/**
 * A room's messages, deletions, edits, pins and reactions as one ordered stream per room, for the
 * nodes that have members of the room: with Redis the room's script
 * publishes each change on the room's channel in the same step that gives it
 * its seq, so every node receives a room's changes in seq order, and a node
 * without members of the room receives nothing. The single node needs no
 * feed: it delivers in the order it stores.
 */
import type { MessageEdit, PinRecord, Reactions, StoredRoomMessage } from './rooms-store';

export type RoomFeedEvent =
  | { kind: 'message'; message: StoredRoomMessage }
  | { kind: 'deleted'; seq: number }
  /** Every pin in force after a pin or unpin. */
  | { kind: 'pins'; pins: PinRecord[] }
  /** A message's reactions after a change. */
  | { kind: 'reactions'; seq: number; reactions: Reactions }
  | ({ kind: 'edited'; seq: number } & MessageEdit);

export interface RoomFeed {
  /** Starts receiving the room's changes on this node; resolves once nothing later can be missed. Idempotent. */
  follow(code: string): Promise<void>;
  /** Stops receiving them (no member of the room left on this node). */
  unfollow(code: string): void;
  /** The listener of every change of a followed room, in the order the room stored them. */
  onEvent(listener: (code: string, event: RoomFeedEvent) => void): void;
  /**
   * Called for a followed room each time its subscription is confirmed again
   * after the feed lost it (the connection came back; on Redis Cluster, the
   * subscriber of the room's shard was replaced: a dropped connection, a
   * failover, a slot move). Changes made before that moment may not have been
   * received; none after it is missed.
   */
  onResubscribed(listener: (code: string) => void): void;
  close(): Promise<void>;
}
