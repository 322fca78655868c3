/**
 * Changing what was said: editing and deleting one's own message within the
 * server's ROOM_EDIT_WINDOW_MS (./deadlines; a message the server no longer
 * lets this page change loses its buttons), the moderators' deletes, edits
 * and deletes from others arriving live, and the toast of a mention of the
 * user in a room not on screen.
 */
import type { RoomsContext } from './room-context';
import { characterCount } from '../ui/length-counter';
import { editWindowEnd } from './deadlines';
import { deleteMessage, editMessage, EMPTY_TIMELINE, findBySeq } from './room-timeline';
import { updateRoom } from './rooms-state';
import { t } from '../i18n/i18n';

/** An edit or delete of an own message the edit window no longer allows. */
const editClosedText = () => t('room.edit_closed');
/** A mention toast goes by itself after this long. */
const MENTION_TOAST_MS = 8000;

export interface EditActions {
  deleteMessage(code: string, seq: number): Promise<void>;
  /** Puts an own message in the composer to edit (null: stop editing). */
  startEdit(seq: number | null): void;
  /** Sends the edited text of the message being edited. */
  edit(code: string, text: string): Promise<void>;
  dismissMention(): void;
}

export function bindEdits(ctx: RoomsContext): EditActions {
  const { client, api, store, settings, reads, fail } = ctx;
  let mentionTimer: ReturnType<typeof setTimeout> | undefined;

  client.on('room-message-edited', ({ code, seq, ...edit }) => {
    updateRoom(store, code, (room) => ({ ...room, timeline: editMessage(room.timeline, seq, edit) }));
  });

  client.on('room-message-deleted', ({ code, seq }) => {
    updateRoom(store, code, (room) => ({ ...room, timeline: deleteMessage(room.timeline, seq) }));
    if (store.get().active === code && store.get().replyTo === seq) store.set({ replyTo: null });
    if (store.get().active === code && store.get().editing === seq) store.set({ editing: null });
  });

  client.on('room-mention', ({ code, name, text }) => {
    const room = store.get().joined.get(code);
    if (!room || reads.onScreen(code)) return;
    clearTimeout(mentionTimer);
    store.set({ mention: { code, title: room.info.title, name, text } });
    mentionTimer = setTimeout(() => store.set({ mention: null }), MENTION_TOAST_MS);
  });

  const isOwn = (code: string, seq: number): boolean => {
    const room = store.get().joined.get(code);
    return room !== undefined && findBySeq(room.timeline, seq)?.name === room.you.name;
  };

  /** The server refused to change an own message (its clock says the window closed): its buttons go. */
  const editClosed = (code: string, seq: number) => {
    updateRoom(store, code, (r) => (r.editsClosed.includes(seq) ? r : { ...r, editsClosed: [...r.editsClosed, seq] }));
    store.set({ error: { scope: 'room', text: editClosedText() } });
  };

  return {
    async deleteMessage(code, seq) {
      const outcome = await api.deleteMessage(code, seq);
      if (outcome.ok) updateRoom(store, code, (r) => ({ ...r, timeline: deleteMessage(r.timeline, seq) }));
      else if (outcome.problem === 'NOT_ALLOWED' && isOwn(code, seq)) editClosed(code, seq);
      else fail('room', outcome.problem);
    },
    startEdit(seq) {
      store.set({ editing: seq, replyTo: null, error: null });
    },
    async edit(code, raw) {
      const seq = store.get().editing;
      const held = seq === null ? undefined : findBySeq(store.get().joined.get(code)?.timeline ?? EMPTY_TIMELINE, seq);
      const text = raw.trim();
      if (seq === null) return;
      if (!text) return fail('room', 'EMPTY_MESSAGE');
      if (characterCount(text) > settings.maxMessageLength) return fail('room', 'MESSAGE_TOO_LONG');
      // The window closed while the text was being changed: it stays in the composer until the user cancels.
      if (held && Date.now() >= editWindowEnd(held, settings.roomEditWindowMs)) return store.set({ error: { scope: 'room', text: editClosedText() } });
      store.set({ editing: null, error: null });
      if (held?.text === text) return;
      const outcome = await api.edit(code, seq, text);
      if (outcome.ok) updateRoom(store, code, (r) => ({ ...r, timeline: editMessage(r.timeline, seq, outcome.message) }));
      else if (outcome.problem === 'NOT_ALLOWED') editClosed(code, seq);
      else fail('room', outcome.problem);
    },
    dismissMention() {
      clearTimeout(mentionTimer);
      store.set({ mention: null });
    },
  };
}
