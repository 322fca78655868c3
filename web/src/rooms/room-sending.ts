/**
 * Writing in a room: a message waits as pending until the server acknowledges
 * it (then it takes its seq) or refuses it (then it stays as *Not sent* with
 * Retry); a mute says until when, slow mode starts the composer's countdown.
 * Also the typing names, the reply being written, and older pages of history.
 * The client (@parley/client) delivers every message, own ones once
 * acknowledged, once and in seq order as `room-message`.
 */
import { type Failure } from '../app/connection';
import { formatTime } from '../app/format';
import { characterCount } from '../ui/length-counter';
import type { RoomsContext } from './room-context';
import { addOlderPage, mergeMessages, olderPageQuery, takeReactions } from './room-timeline';
import { updateRoom, type JoinedRoom } from './rooms-state';
import { describe } from '../app/errors';
import { t } from '../i18n/i18n';

/** A send refused by slow mode (the composer shows the seconds left). */
/** True for the words of a send held by slow mode (here or by the server): they go once the countdown ends. */
export const isSlowModeRefusal = (text: string | undefined): boolean => text === t('room.slow_mode_held') || text === describe('SLOW_MODE');

export interface SendingActions {
  send(code: string, text: string): void;
  retry(code: string, key: string): void;
  typing(code: string, isTyping: boolean): void;
  replyTo(seq: number | null): void;
  loadOlder(code: string): Promise<void>;
}

export function bindSending(ctx: RoomsContext): SendingActions {
  const { client, api, rest, store, settings, reads, fail } = ctx;
  let pendingKey = 0;

  /** A refused send: a mute says until when; slow mode starts the composer's countdown. */
  const refusedSend = (code: string, failure: Failure) => {
    if (failure.problem === 'MUTED' && failure.until) {
      return store.set({ error: { scope: 'room', text: t('room.muted_in_room_until', { time: formatTime(failure.until) }) } });
    }
    if (failure.problem === 'SLOW_MODE' && failure.retryAfterMs !== undefined) {
      const until = Date.now() + failure.retryAfterMs;
      updateRoom(store, code, (r) => ({ ...r, slowUntil: until }));
      return store.set({ error: { scope: 'room', text: t('room.slow_mode_held') } });
    }
    fail('room', failure.problem);
  };

  /** After a send of a plain member in slow mode: the wait before the next one. */
  const startSlowMode = (room: JoinedRoom): JoinedRoom =>
    room.settings.slowModeS > 0 && room.you.role === 'member' ? { ...room, slowUntil: Date.now() + room.settings.slowModeS * 1000 } : room;

  client.on('room-message', (event) => {
    const { code, epoch: _epoch, mine, ...message } = event;
    if (!mine) ctx.setTyping(code, message.name, false);
    updateRoom(store, code, (room) => ({ ...room, timeline: mergeMessages(room.timeline, [message]) }));
    reads.seen(code, message.seq);
  });

  client.on('room-typing', ({ code, name, isTyping }) => ctx.setTyping(code, name, isTyping));

  const deliver = async (code: string, key: string) => {
    const room = store.get().joined.get(code);
    const item = room?.pending.find((p) => p.key === key);
    if (!room || !item) return;
    updateRoom(store, code, (r) => ({
      ...r,
      pending: r.pending.map((p) => (p.key === key ? { ...p, status: 'sending' as const } : p)),
    }));
    const outcome = await api.send({ code, text: item.text, ...(item.replyTo ? { replyTo: item.replyTo } : {}) });
    if (outcome.ok) {
      const { seq, id, sentAt, kind = 'member' } = outcome.message;
      updateRoom(store, code, (r) => ({
        ...startSlowMode(r),
        pending: r.pending.filter((p) => p.key !== key),
        timeline: mergeMessages(r.timeline, [{ seq, id, sentAt, kind, name: r.you.name, text: item.text, ...(item.replyTo ? { replyTo: item.replyTo } : {}) }]),
      }));
      reads.seen(code, seq);
      return;
    }
    updateRoom(store, code, (r) => ({
      ...r,
      pending: r.pending.map((p) => (p.key === key ? { ...p, status: 'failed' as const } : p)),
    }));
    refusedSend(code, outcome);
  };

  return {
    send(code, raw) {
      const text = raw.trim();
      if (!text) return fail('room', 'EMPTY_MESSAGE');
      if (characterCount(text) > settings.maxMessageLength) return fail('room', 'MESSAGE_TOO_LONG');
      const slowUntil = store.get().joined.get(code)?.slowUntil ?? 0;
      // The server would refuse it: the text stays in the composer while the countdown runs.
      if (slowUntil > Date.now()) return store.set({ error: { scope: 'room', text: t('room.slow_mode_held') } });
      const replyTo = store.get().replyTo ?? undefined;
      const key = `p${++pendingKey}`;
      store.set({ error: null, replyTo: null });
      updateRoom(store, code, (room) => ({
        ...room,
        pending: [...room.pending, { key, text, at: Date.now(), status: 'sending', ...(replyTo ? { replyTo } : {}) }],
      }));
      void deliver(code, key);
    },
    retry(code, key) {
      store.set({ error: null });
      void deliver(code, key);
    },
    typing(code, isTyping) {
      if (store.get().joined.has(code)) api.typing(code, isTyping);
    },
    replyTo(seq) {
      store.set({ replyTo: seq });
    },
    async loadOlder(code) {
      const room = store.get().joined.get(code);
      const query = room && !room.loadingOlder ? olderPageQuery(room.timeline) : null;
      if (!query) return;
      updateRoom(store, code, (r) => ({ ...r, loadingOlder: true }));
      const page = await rest.history(code, query.before, query.limit);
      updateRoom(store, code, (r) => ({
        ...r,
        loadingOlder: false,
        ...(page.ok ? { timeline: takeReactions(addOlderPage(r.timeline, page), page.messages) } : {}),
      }));
      if (!page.ok) fail('room', page.problem);
    },
  };
}
