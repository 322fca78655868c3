/** The storage contract of marks on a room's messages: pins and reactions. */
import type { RoomPin } from '../protocol';

/**
 * A message's reactions: each emoji with the ids of the members who reacted
 * with it (never empty), in the order the emoji were first used.
 */
export type Reactions = [emoji: string, userIds: string[]][];

/** A pinned message: stored as clients see it (RoomPin in src/protocol/rooms.ts). */
export type PinRecord = RoomPin;

/** A pin as asked for; the store copies the message's name and text into it. */
export type PinRequest = Omit<PinRecord, 'name' | 'text'>;

export type PinResult = { kind: 'pinned'; pins: PinRecord[] } | { kind: 'too-many' } | { kind: 'no-message' };

export interface ReactRequest {
  seq: number;
  userId: string;
  emoji: string;
  on: boolean;
  /** Different emoji the message may hold. */
  maxEmoji: number;
}

/** `changed` or `unchanged` (the member had that reaction already, or removed one it did not have) with the message's reactions now. */
export type ReactResult = { kind: 'changed' | 'unchanged'; reactions: Reactions } | { kind: 'too-many' } | { kind: 'no-message' };

/**
 * Applies one member's reaction to a message's reactions (a new list; the
 * input is left alone). Returns null when nothing changes (a reaction the
 * member has already, or removes one it does not have) and 'too-many' for a
 * new emoji beyond the bound.
 */
export function applyReaction(reactions: Reactions, userId: string, emoji: string, on: boolean, maxEmoji: number): Reactions | null | 'too-many' {
  const at = reactions.findIndex(([e]) => e === emoji);
  const users = at < 0 ? [] : reactions[at]![1];
  if (users.includes(userId) === on) return null;
  if (on && at < 0) return reactions.length >= maxEmoji ? 'too-many' : [...reactions, [emoji, [userId]]];
  const changed: Reactions = reactions.map(([e, u]) => [e, e === emoji ? (on ? [...u, userId] : u.filter((id) => id !== userId)) : u]);
  return changed.filter(([, u]) => u.length > 0);
}

/** The pins in force at `now`, oldest pin first. */
export const pinsInForce = (pins: Iterable<PinRecord>, now: number): PinRecord[] =>
  [...pins].filter((p) => p.until === null || p.until > now).sort((a, b) => a.pinnedAt - b.pinnedAt || a.seq - b.seq);

export interface RoomMarksStore {
  /**
   * Pins a live message of the recent window (again: with its new end),
   * unless `max` pins are in force at `now` already; expired pins are
   * dropped on the way. Answers the pins in force.
   */
  pin(code: string, pin: PinRequest, max: number, now: number): Promise<PinResult>;
  /** Unpins a message; the pins in force after it, or null when it was not pinned. */
  unpin(code: string, seq: number, now: number): Promise<PinRecord[] | null>;
  /** The pins in force at `now`, oldest pin first. */
  pins(code: string, now: number): Promise<PinRecord[]>;
  /** Adds or removes one member's reaction to a live message of the recent window. */
  react(code: string, request: ReactRequest): Promise<ReactResult>;
}
