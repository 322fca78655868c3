/**
 * The messages of one topic room, ordered by seq. Live events from different
 * nodes, the join ack and history pages can overlap and arrive out of order:
 * everything is placed by seq and each seq is kept once. Also the room code
 * of an invite link. Pure functions, no DOM.
 */
import type { RoomMessage, RoomReaction } from '@parley/protocol';

export interface RoomTimeline {
  /** Oldest first, one entry per seq. */
  readonly messages: readonly RoomMessage[];
  /** Seqs the host deleted: never shown again, even if an older read still holds them. */
  readonly deleted: ReadonlySet<number>;
  /** False once the server said there is nothing older to page back to. */
  readonly hasMore: boolean;
  /** Reactions by seq, newer than those the messages came with (`room-reactions`, a later read). */
  readonly reactions: ReadonlyMap<number, readonly RoomReaction[]>;
}

export const EMPTY_TIMELINE: RoomTimeline = Object.freeze({ messages: [], deleted: new Set<number>(), hasMore: true, reactions: new Map() });

/** A message's reactions as last heard of. */
export function reactionsOf(timeline: RoomTimeline, m: RoomMessage): readonly RoomReaction[] {
  return timeline.reactions.get(m.seq) ?? m.reactions ?? [];
}

/** A message's reactions changed (`room-reactions`). */
export function setReactions(timeline: RoomTimeline, seq: number, reactions: readonly RoomReaction[]): RoomTimeline {
  return { ...timeline, reactions: new Map(timeline.reactions).set(seq, reactions) };
}

/** A read (join, history page) brings the reactions of its messages as they are now. */
export function takeReactions(timeline: RoomTimeline, read: readonly RoomMessage[]): RoomTimeline {
  if (read.length === 0) return timeline;
  const reactions = new Map(timeline.reactions);
  for (const m of read) reactions.set(m.seq, m.reactions ?? []);
  return { ...timeline, reactions };
}

/** Messages most history requests ask for. */
export const HISTORY_PAGE = 50;

/** Adds `incoming` to the timeline: sorted by seq, duplicates and deleted seqs dropped (the copy already held wins). */
export function mergeMessages(timeline: RoomTimeline, incoming: readonly RoomMessage[]): RoomTimeline {
  const fresh = incoming.filter((m) => !timeline.deleted.has(m.seq));
  if (fresh.length === 0) return timeline;
  const bySeq = new Map<number, RoomMessage>();
  for (const m of fresh) bySeq.set(m.seq, m);
  for (const m of timeline.messages) bySeq.set(m.seq, m);
  if (bySeq.size === timeline.messages.length) return timeline;
  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { ...timeline, messages };
}

/** Removes a message the host deleted, and remembers it so a late copy is not shown again. */
export function deleteMessage(timeline: RoomTimeline, seq: number): RoomTimeline {
  const deleted = new Set(timeline.deleted).add(seq);
  return { ...timeline, deleted, messages: timeline.messages.filter((m) => m.seq !== seq) };
}

/** Shows a message's new text (an edit keeps the seq); a message not held stays unheld. */
export function editMessage(timeline: RoomTimeline, seq: number, edit: { text: string; editedAt: number; mentions?: string[] }): RoomTimeline {
  const at = timeline.messages.findIndex((m) => m.seq === seq);
  const held = timeline.messages[at];
  if (!held || (held.editedAt ?? 0) > edit.editedAt) return timeline;
  const { mentions: _old, ...rest } = held;
  const messages = [...timeline.messages];
  messages[at] = { ...rest, text: edit.text, editedAt: edit.editedAt, ...(edit.mentions?.length ? { mentions: edit.mentions } : {}) };
  return { ...timeline, messages };
}

export function oldestSeq(timeline: RoomTimeline): number | undefined {
  return timeline.messages[0]?.seq;
}

export function newestSeq(timeline: RoomTimeline): number | undefined {
  return timeline.messages[timeline.messages.length - 1]?.seq;
}

/** Seq 1 is the first message a room ever had: nothing lies before it. */
export function canLoadOlder(timeline: RoomTimeline): boolean {
  const oldest = oldestSeq(timeline);
  return timeline.hasMore && oldest !== undefined && oldest > 1;
}

/** The query of the page just before what the timeline holds: `before` = the oldest seq held. */
export function olderPageQuery(timeline: RoomTimeline, limit = HISTORY_PAGE): { before: number; limit: number } | null {
  const oldest = oldestSeq(timeline);
  return canLoadOlder(timeline) && oldest !== undefined ? { before: oldest, limit } : null;
}

/** Adds a history page (`GET …/messages`) and records whether older pages remain. */
export function addOlderPage(timeline: RoomTimeline, page: { messages: readonly RoomMessage[]; hasMore: boolean }): RoomTimeline {
  return { ...mergeMessages(timeline, page.messages), hasMore: page.hasMore };
}

/** The message a reply quotes, when the timeline holds it. */
export function findBySeq(timeline: RoomTimeline, seq: number): RoomMessage | undefined {
  let lo = 0;
  let hi = timeline.messages.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = timeline.messages[mid]!;
    if (m.seq === seq) return m;
    if (m.seq < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** A one-line excerpt for a reply quote. */
export function excerpt(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The room code in an invite link or path (`/r/<code>`), or a bare code; null when none. */
export function codeFromLink(input: string): string | null {
  const text = input.trim();
  const match = /(?:^|\/r\/)([A-Za-z0-9_-]{1,32})\/?(?:[?#].*)?$/.exec(text);
  if (!match) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(text) && !text.includes('/r/')) return null;
  return match[1]!;
}

/** The room code when the page was opened at /r/<code>. */
export function inviteCodeOf(pathname: string): string | null {
  return /^\/r\/([A-Za-z0-9_-]{1,32})\/?$/.exec(pathname)?.[1] ?? null;
}
