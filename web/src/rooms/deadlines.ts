/**
 * What in a room changes by itself as time passes, with no event from the
 * server: an own message can be edited and deleted for ROOM_EDIT_WINDOW_MS
 * after it was sent (the server's clock decides; this only hides the buttons
 * when the window closes), and a member's "muted" mark lasts until its
 * `mutedUntil`. The views keep the next such time and draw again once a tick
 * passes it, so a tab that slept catches up on its first tick. Pure functions,
 * no DOM.
 */
import type { RoomMemberInfo, RoomMessage } from '@parley/protocol';

/** When the user's own message `m` stops being theirs to change (epoch ms). */
export const editWindowEnd = (m: Pick<RoomMessage, 'sentAt'>, windowMs: number): number => m.sentAt + windowMs;

/**
 * Whether the user may still edit or delete `m`: their own, inside the edit
 * window, and not refused by the server already (`closed`: seqs answered
 * NOT_ALLOWED, for a clock behind the server's).
 */
export function canChangeOwn(
  m: Pick<RoomMessage, 'seq' | 'name' | 'sentAt' | 'kind'>,
  youName: string,
  now: number,
  windowMs: number,
  closed: readonly number[] = [],
): boolean {
  return m.kind !== 'system' && m.name === youName && now < editWindowEnd(m, windowMs) && !closed.includes(m.seq);
}

/** Whether `member` is muted at `now`. */
export const isMuted = (member: Pick<RoomMemberInfo, 'mutedUntil'>, now: number): boolean => (member.mutedUntil ?? 0) > now;

/** The earliest of `times` after `now`; Infinity when none is. */
export function nextDeadline(times: Iterable<number>, now: number): number {
  let next = Infinity;
  for (const t of times) if (t > now && t < next) next = t;
  return next;
}

/** The next time one of the user's own messages in `messages` leaves its edit window. */
export function nextEditWindowEnd(messages: readonly RoomMessage[], youName: string, now: number, windowMs: number): number {
  return nextDeadline(
    messages.filter((m) => m.name === youName && m.kind !== 'system').map((m) => editWindowEnd(m, windowMs)),
    now,
  );
}

/** The next time one of `members`' mutes ends. */
export function nextMuteEnd(members: readonly RoomMemberInfo[], now: number): number {
  return nextDeadline(members.flatMap((m) => (m.mutedUntil === undefined ? [] : [m.mutedUntil])), now);
}
