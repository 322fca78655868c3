/**
 * A joined room's unread count on this page. The server keeps one read
 * position per identity and room (`readSeq`), so every device shows the same
 * count: it answers it at join and connect, and sends `room-unread` whenever
 * a device moves it. In between the page counts itself: the room's newest
 * seq minus the position. A room on screen is read: the page tells the server
 * (at most once per READ_DELAY_MS). Pure functions, no DOM.
 */
import type { RoomUnreadEvent } from '@parley/protocol';
import type { JoinedRoom } from './rooms-state';

/**
 * How long the page gathers newly shown messages before one `room-read`: a
 * busy room on screen costs at most one request per this long, well inside
 * the server's budget for such events (EVENT_RATE_LIMIT, 30 per 10 s).
 */
export const READ_DELAY_MS = 1500;

type Counted = Pick<JoinedRoom, 'readSeq' | 'lastSeq' | 'unread'>;

const count = (lastSeq: number, readSeq: number): number => Math.max(0, lastSeq - readSeq);

/** A message with `seq` reached the page. */
export function messageSeen<R extends Counted>(room: R, seq: number): R {
  if (seq <= room.lastSeq) return room;
  return { ...room, lastSeq: seq, unread: count(seq, room.readSeq) };
}

/** Where the server says the identity stands (a join ack, `room-unread`). */
export function serverCount<R extends Counted>(room: R, event: Pick<RoomUnreadEvent, 'unread' | 'readSeq'> & { lastSeq?: number }): R {
  // The server's position only moves forward: an older answer arriving late changes nothing.
  const readSeq = Math.max(room.readSeq, event.readSeq);
  const lastSeq = Math.max(room.lastSeq, event.lastSeq ?? event.readSeq + event.unread);
  return { ...room, readSeq, lastSeq, unread: count(lastSeq, readSeq) };
}

/** The page read everything it holds (the room is on screen); the seq to send, or null when nothing is new. */
export function readUpTo(room: Counted): number | null {
  return room.lastSeq > room.readSeq ? room.lastSeq : null;
}

/** The room as read up to `seq` on this page, before the server confirms. */
export function markedRead<R extends Counted>(room: R, seq: number): R {
  if (seq <= room.readSeq) return room;
  return { ...room, readSeq: seq, unread: count(room.lastSeq, seq) };
}

/** The sum of the unread counts, for the rooms tab. */
export function totalUnread(rooms: Iterable<Counted>): number {
  let total = 0;
  for (const room of rooms) total += room.unread;
  return total;
}
