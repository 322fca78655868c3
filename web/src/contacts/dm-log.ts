/**
 * The messages of one conversation with a contact. History pages, live `dm`
 * events and own acked messages can overlap and arrive out of order (a
 * reconnect reads the newest page again): everything is kept once per id and
 * ordered by time. Pure functions, no DOM.
 */
import type { DmHistoryMessage } from '@parley/protocol';

export type DmMessage = DmHistoryMessage;

export interface DmLog {
  /** Oldest first, one entry per id. */
  readonly messages: readonly DmMessage[];
  /** False once the server said there is nothing older to page back to. */
  readonly hasMore: boolean;
}

export const EMPTY_DM_LOG: DmLog = Object.freeze({ messages: [], hasMore: true });

/** Messages each history request asks for. */
export const DM_PAGE = 50;

const byTime = (a: DmMessage, b: DmMessage) => a.sentAt - b.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Adds `incoming` to the log. A copy already held wins, except that a read
 * receipt is never lost: the later of the two `readAt` is kept.
 */
export function mergeDms(log: DmLog, incoming: readonly DmMessage[]): DmLog {
  if (incoming.length === 0) return log;
  const byId = new Map<string, DmMessage>();
  for (const m of log.messages) byId.set(m.id, m);
  let changed = false;
  for (const m of incoming) {
    const held = byId.get(m.id);
    if (!held) {
      byId.set(m.id, m);
      changed = true;
    } else if (held.readAt === null && m.readAt !== null) {
      byId.set(m.id, { ...held, readAt: m.readAt });
      changed = true;
    }
  }
  if (!changed) return log;
  return { ...log, messages: [...byId.values()].sort(byTime) };
}

/** Adds an older page (`dm-history` with `before`) and records whether older pages remain. */
export function addOlderDms(log: DmLog, page: { messages: readonly DmMessage[]; hasMore: boolean }): DmLog {
  const merged = mergeDms(log, page.messages);
  return merged.hasMore === page.hasMore ? merged : { ...merged, hasMore: page.hasMore };
}

/** The `dm-history` query for the page before the oldest message held; null when there is none to ask for. */
export function olderDmQuery(log: DmLog, limit = DM_PAGE): { before: string; limit: number } | null {
  const oldest = log.messages[0];
  return log.hasMore && oldest ? { before: oldest.id, limit } : null;
}

/**
 * Applies the contact's `dm-read { upTo }`: every own message up to and
 * including `upTo` counts as read. An id not held (an older page not loaded)
 * changes nothing.
 */
export function markMineRead(log: DmLog, upTo: string, at: number): DmLog {
  const index = log.messages.findIndex((m) => m.id === upTo);
  if (index < 0) return log;
  let changed = false;
  const messages = log.messages.map((m, i) => {
    if (i > index || !m.mine || m.readAt !== null) return m;
    changed = true;
    return { ...m, readAt: at };
  });
  return changed ? { ...log, messages } : log;
}

/** The newest message from the contact, whose id goes out as `dm-read { upTo }`. */
export function newestTheirs(log: DmLog): DmMessage | undefined {
  for (let i = log.messages.length - 1; i >= 0; i--) if (!log.messages[i]!.mine) return log.messages[i];
  return undefined;
}

/** Id of the newest own message the contact has read: the "Seen" mark goes under it. */
export function seenMarkId(log: DmLog): string | null {
  for (let i = log.messages.length - 1; i >= 0; i--) {
    const m = log.messages[i]!;
    if (m.mine && m.readAt !== null) return m.id;
  }
  return null;
}

export function findDm(log: DmLog, id: string): DmMessage | undefined {
  return log.messages.find((m) => m.id === id);
}

/**
 * Adds the newest page (`dm-history` without `before`), read on opening a
 * conversation and after every reconnect. When the page neither overlaps what
 * is held nor reaches the start, messages were missed in between: the page
 * replaces the log, and older ones are paged back in again on scrolling.
 */
export function applyNewestPage(log: DmLog, page: { messages: readonly DmMessage[]; hasMore: boolean }): DmLog {
  if (log.messages.length === 0) return { messages: [...page.messages].sort(byTime), hasMore: page.hasMore };
  const held = new Set(log.messages.map((m) => m.id));
  const overlaps = page.messages.some((m) => held.has(m.id));
  if (!overlaps && page.hasMore && page.messages.length > 0) {
    return { messages: [...page.messages].sort(byTime), hasMore: true };
  }
  const merged = mergeDms(log, page.messages);
  return !page.hasMore && merged.hasMore ? { ...merged, hasMore: false } : merged;
}
