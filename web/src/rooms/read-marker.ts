/**
 * Reading rooms on this page: a room is read while it is on screen (the rooms
 * side shown, the page visible): what it shows counts as read at once, and the
 * server hears of it at most once per READ_DELAY_MS per room, in one
 * `room-read` for the newest seq (which tells the identity's other devices).
 * New messages of any other room raise its count.
 */
import type { ReadMarker } from './room-context';
import type { RoomsStateStore } from './rooms-state';
import { updateRoom } from './rooms-state';
import { markedRead, messageSeen, READ_DELAY_MS, readUpTo } from './unread';

export function createReadMarker(store: RoomsStateStore, read: (code: string, seq: number) => Promise<unknown>): ReadMarker {
  /** Room code → the seq to tell the server when its delay ends. */
  const pending = new Map<string, number>();
  const onScreen = (code: string) => store.get().active === code && store.get().tab === 'rooms' && document.visibilityState === 'visible';

  const schedule = (code: string) => {
    const room = onScreen(code) ? store.get().joined.get(code) : undefined;
    const seq = room ? readUpTo(room) : null;
    if (seq === null) return;
    updateRoom(store, code, (r) => markedRead(r, seq));
    const waiting = pending.has(code);
    pending.set(code, seq);
    if (!waiting) setTimeout(() => flush(code), READ_DELAY_MS);
  };

  const flush = (code: string) => {
    const upTo = pending.get(code);
    pending.delete(code);
    if (upTo !== undefined) void read(code, upTo);
  };

  document.addEventListener('visibilitychange', () => {
    const active = store.get().active;
    if (active) schedule(active);
  });

  return {
    onScreen,
    schedule,
    flush,
    seen(code, seq) {
      updateRoom(store, code, (room) => messageSeen(room, seq));
      schedule(code);
    },
  };
}
