/**
 * Marks on a room's messages: pins (by the host and co-hosts, for a time or
 * until unpinned, at most ROOM_MAX_PINS) and members' emoji reactions.
 */
import { ClientError } from '../errors';
import type { RoomPolicy } from './ports';
import { MAX_EMOJI_PER_MESSAGE, normalizeEmoji } from './reactions';
import type { RoomServiceDeps } from './room-deps';
import type { RoomModerators } from './room-moderation';
import { notInRoom } from './room-refusals';

export class RoomMarks {
  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly policy: Pick<RoomPolicy, 'roomMaxPins'>,
    private readonly moderators: RoomModerators,
  ) {}

  /** Pins a message of the recent window for `durationMs` (absent: until unpinned); pinning it again sets its new end. */
  async pin(userId: string, code: string, seq: number, durationMs?: number): Promise<void> {
    const member = await this.moderators.requireModerator(userId, code);
    const now = this.deps.clock.now();
    const request = { seq, until: durationMs !== undefined ? now + durationMs : null, pinnedAt: now, by: member.name };
    const max = this.policy.roomMaxPins;
    const result = await this.deps.store.pin(code, request, max, now);
    if (result.kind === 'too-many') throw new ClientError('TOO_MANY_PINS', `A room holds at most ${max} pinned messages; unpin one first.`);
    if (result.kind === 'no-message') throw new ClientError('MESSAGE_NOT_FOUND');
    this.deps.notifier.pins({ code, pins: result.pins });
  }

  /** Unpins a message; one that is not pinned is a no-op. */
  async unpin(userId: string, code: string, seq: number): Promise<void> {
    await this.moderators.requireModerator(userId, code);
    await this.dropPin(code, seq);
  }

  /** A message gone: its pin (if any) goes too, and the room is told the pins left. */
  async dropPin(code: string, seq: number): Promise<void> {
    const pins = await this.deps.store.unpin(code, seq, this.deps.clock.now());
    if (pins) this.deps.notifier.pins({ code, pins });
  }

  /** A pinned message that was edited: its pin (which quotes the words) is made again, keeping its end and who pinned it. */
  async repin(code: string, seq: number, now: number): Promise<void> {
    const pins = await this.deps.store.pins(code, now);
    const held = pins.find((p) => p.seq === seq);
    if (!held) return;
    const request = { seq, until: held.until, pinnedAt: held.pinnedAt, by: held.by };
    const result = await this.deps.store.pin(code, request, Math.max(this.policy.roomMaxPins, pins.length), now);
    if (result.kind === 'pinned') this.deps.notifier.pins({ code, pins: result.pins });
  }

  /** Adds or removes the member's reaction; doing what is already done changes and announces nothing. */
  async react(userId: string, code: string, seq: number, emoji: string, on: boolean): Promise<void> {
    const normalized = normalizeEmoji(emoji);
    if (normalized === null) throw new ClientError('INVALID_PAYLOAD', 'A reaction is one emoji.');
    if (!(await this.deps.store.member(code, userId))) throw await notInRoom(this.deps, code);
    const result = await this.deps.store.react(code, { seq, userId, emoji: normalized, on, maxEmoji: MAX_EMOJI_PER_MESSAGE });
    if (result.kind === 'too-many') {
      throw new ClientError('TOO_MANY_REACTIONS', `A message holds at most ${MAX_EMOJI_PER_MESSAGE} different reactions.`);
    }
    if (result.kind === 'no-message') throw new ClientError('MESSAGE_NOT_FOUND');
    if (result.kind === 'changed') this.deps.notifier.reactions({ code, seq, reactions: result.reactions });
  }
}
