/**
 * What topic rooms need from the world, as interfaces: delivery to a room's
 * members (the transport), and the settings the rules follow.
 */
import type { RoomBackstageInviteEvent, RoomMentionEvent, RoomMessageEditedEvent, RoomMessageEvent, RoomPresenceEvent, RoomUnreadEvent, RoomUpdatedEvent } from '../protocol';
import type { PinRecord, Reactions } from '../store/rooms-store';

/** Delivers room events to members wherever they are connected. */
export interface RoomNotifier {
  /** To every member of the room. */
  presence(event: RoomPresenceEvent): void;
  /** To every member but the sender. */
  message(event: RoomMessageEvent, senderId: string): void;
  typing(event: { code: string; name: string; isTyping: boolean }, senderId: string): void;
  deleted(event: { code: string; seq: number }): void;
  /** To every member: the host changed the room's settings. */
  updated(event: RoomUpdatedEvent): void;
  /** Every pin in force after a change, to every member. */
  pins(event: { code: string; pins: PinRecord[] }): void;
  /** A message's reactions after a change, to every member with its own `mine`. */
  reactions(event: { code: string; seq: number; reactions: Reactions }): void;
  /** To every member. */
  edited(event: RoomMessageEditedEvent): void;
  /** To every connection of the user a message mentions. */
  mentioned(userId: string, event: RoomMentionEvent): void;
  /** To every connection of the user: the host invited it into a backstage. */
  backstageInvite(userId: string, event: RoomBackstageInviteEvent): void;
  /** To every connection of the user: its read position of the room changed. */
  unread(userId: string, event: RoomUnreadEvent): void;
  /** Tells the user and stops its connections receiving the room's events. */
  kicked(userId: string, code: string): void;
  /** Stops the user's connections receiving the room's events. */
  left(userId: string, code: string): void;
  /** Tells the user the room was removed (by an operator) and stops its connections receiving the room's events. */
  removed(userId: string, code: string): void;
}

/** The settings the room rules follow (a slice of Config). */
export interface RoomPolicy {
  readonly roomsPerUser: number;
  readonly roomMaxMembers: number;
  readonly roomKickMs: number;
  /** Pins a room holds at once (ROOM_MAX_PINS). */
  readonly roomMaxPins: number;
  /** How long a room a user created stays once empty (ROOM_EMPTY_TTL_HOURS). */
  readonly roomEmptyTtlMs: number;
  /** How long after sending a member may edit or delete its own message. */
  readonly roomEditWindowMs: number;
  readonly roomHistoryDays: number;
  readonly resumeGraceMs: number;
  readonly maxMessageLength: number;
  /** How long the public list is reused before it is read again (0: always read). */
  readonly roomsListCacheMs: number;
  /**
   * The room-message budget (ROOM_MESSAGE_RATE_LIMIT per
   * ROOM_MESSAGE_RATE_WINDOW_MS), spent by the store in the step that stores
   * the message; absent, the store spends none.
   */
  readonly roomMessageRateLimit?: number;
  readonly roomMessageRateWindowMs?: number;
}
