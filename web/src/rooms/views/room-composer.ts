/**
 * Writing in the room: the composer (a new message, or the text of one's own
 * message being edited), the preview above it of the message answered or
 * edited, the error line, and the status line under it: a mute with its end,
 * or slow mode's rule, or the seconds left after one's own message (Send is
 * off meanwhile).
 */
import { byTestId, setMessage, show } from '../../app/dom';
import { formatTime } from '../../app/format';
import type { Settings } from '../../app/settings';
import { bindComposer, composerParts } from '../../ui/composer';
import type { RoomActions } from '../rooms-controller';
import { excerpt, findBySeq } from '../room-timeline';
import { isSlowModeRefusal } from '../room-sending';
import type { JoinedRoom, RoomsState, RoomsStateStore } from '../rooms-state';
import { t } from '../../i18n/i18n';

export interface RoomComposer {
  render(state: RoomsState, previous: RoomsState, room: JoinedRoom): void;
  /** Once a second: the status line's countdown. */
  tick(): void;
  /** Another room is shown (`focus`: the user opened it, so writing starts there). */
  reset(focus: boolean): void;
  /** No room is shown any more. */
  stopTyping(): void;
}

export function bindRoomComposer(store: RoomsStateStore, actions: RoomActions, settings: Settings, shown: () => string | null): RoomComposer {
  const error = byTestId('room-error');
  const preview = byTestId('room-reply-preview');
  const previewLabel = preview.querySelector<HTMLElement>('.reply-label')!;
  const quote = byTestId('room-reply-quote');
  const slow = byTestId('room-slow-mode');
  const send = byTestId<HTMLButtonElement>('room-send');
  const cancel = byTestId<HTMLButtonElement>('room-reply-cancel');
  const stopEditing = () => {
    actions.startEdit(null);
    composer.clear();
  };

  const composer = bindComposer(composerParts('room'), {
    limits: settings,
    open: () => shown() !== null,
    send: (text) => {
      const code = shown();
      if (!code) return;
      if (store.get().editing !== null) void actions.edit(code, text);
      else actions.send(code, text);
    },
    typing: (on) => {
      const code = shown();
      if (code) actions.typing(code, on);
    },
    refused: () => store.get().error?.scope === 'room',
    escape: () => {
      if (store.get().editing !== null) stopEditing();
      else if (store.get().replyTo !== null) actions.replyTo(null);
    },
  });

  cancel.addEventListener('click', () => {
    if (store.get().editing !== null) stopEditing();
    else actions.replyTo(null);
    composer.focus();
  });

  /** The composer's status line: a mute with its end, or slow mode's rule, or the seconds left after one's own message. */
  const showSlowMode = () => {
    const code = shown();
    const room = code ? store.get().joined.get(code) : undefined;
    const slowModeS = room?.settings.slowModeS ?? 0;
    const exempt = !room || room.you.role !== 'member';
    const left = room ? Math.ceil((room.slowUntil - Date.now()) / 1000) : 0;
    const mutedUntil = room?.you.mutedUntil ?? 0;
    show(slow, slowModeS > 0 || mutedUntil > Date.now());
    slow.textContent =
      mutedUntil > Date.now()
        ? t('room.muted_until', { time: formatTime(mutedUntil) })
        : exempt
          ? t('room.slow_exempt', { seconds: slowModeS })
          : left > 0
            ? t('room.slow_wait', { seconds: left })
            : t('room.slow_every', { seconds: slowModeS });
    const waiting = !exempt && left > 0;
    slow.dataset.waiting = String(waiting);
    // Send is off while the countdown runs (an edit is not held by slow mode); afterwards the composer's own rules (empty, too long) decide again.
    const held = waiting && store.get().editing === null;
    if (held) send.disabled = true;
    else if (wasHeld) composer.refresh();
    wasHeld = held;
    if (!waiting && isSlowModeRefusal(store.get().error?.text)) actions.dismissError();
  };
  let wasHeld = false;

  return {
    tick: showSlowMode,
    reset(focus) {
      composer.clear();
      if (focus) setTimeout(() => composer.focus({ preventScroll: true }));
    },
    stopTyping: () => composer.stopTyping(),
    render(state, previous, room) {
      showSlowMode();
      // The preview above the composer: the message being edited, or the one answered.
      const editing = state.editing !== null ? findBySeq(room.timeline, state.editing) : undefined;
      if (editing && previous.editing !== state.editing) composer.setText(editing.text);
      if (!editing && previous.editing !== null && state.editing === null && previous.active === state.active) composer.clear();
      const replying = state.replyTo !== null ? findBySeq(room.timeline, state.replyTo) : undefined;
      const shownQuote = editing ?? replying;
      show(preview, !!shownQuote);
      preview.dataset.mode = editing ? 'edit' : 'reply';
      previewLabel.textContent = editing ? t('room.editing') : t('page.replying_to');
      cancel.setAttribute('aria-label', editing ? t('room.cancel_editing') : t('page.cancel_reply'));
      quote.textContent = editing ? excerpt(editing.text, 60) : replying ? t('dm.said', { who: replying.name }) + excerpt(replying.text, 60) : '';
      setMessage(error, state.error?.scope === 'room' ? state.error.text : null);
    },
  };
}
