/**
 * A room's messages, ordered by seq, with reply quotes, reaction chips,
 * everyone's Reply and React, the moderators' Pin and Delete, and on one's
 * own messages Edit and Delete within the server's edit window (a tick past
 * its end draws the message again without them); the host's messages carry a badge, the room's own (kind `system`: a new co-host, slow
 * mode) are centred lines, an edited message says so, and a message that
 * mentions you stands out. Scrolling near the top loads the page before the oldest
 * message held (the reader's place is kept); new messages keep the view at the
 * bottom unless the reader scrolled up.
 */
import type { RoomMessage } from '@parley/protocol';
import { byTestId, el, show, userText } from '../../app/dom';
import { formatTime } from '../../app/format';
import type { RoomActions } from '../rooms-controller';
import { canLoadOlder, excerpt, findBySeq, newestSeq, oldestSeq, reactionsOf } from '../room-timeline';
import { canChangeOwn, nextEditWindowEnd } from '../deadlines';
import { emojiPicker, pinMenu, reactionChips } from './message-marks';
import { actionButton, markReported, quoteNode, timeNode, togglePanel } from './message-parts';
import { canModerate, type JoinedRoom, type PendingMessage, type RoomsStateStore } from '../rooms-state';
import type { OpenReport } from '../../moderation/views/report-dialog';
import type { Settings } from '../../app/settings';
import type { Confirm } from '../../ui/confirm';
import { t } from '../../i18n/i18n';
import { systemWords } from '../notices';

/** Within this many pixels of the top, older messages are fetched. */
const LOAD_OLDER_PX = 120;
/** Within this many pixels of the bottom counts as "at the bottom". */
const STICKY_PX = 80;

/** Whether the message mentions the reader (its room name, as the server resolved it). */
const mentionsYou = (room: JoinedRoom, m: RoomMessage): boolean => m.mentions?.includes(room.you.name) ?? false;

export function mountRoomMessages(store: RoomsStateStore, actions: RoomActions, confirm: Confirm, settings: Settings, report?: OpenReport): void {
  const list = byTestId<HTMLOListElement>('room-messages');
  const jump = byTestId<HTMLButtonElement>('room-jump-latest');
  const older = el('li', 'room-older');
  const olderButton = el('button', 'btn btn-ghost btn-sm', t('dm.load_older'));
  olderButton.type = 'button';
  olderButton.dataset.testid = 'room-load-older';
  older.append(olderButton);
  const start = el('li', 'system', t('room.beginning'));
  start.dataset.testid = 'room-start';

  const nodes = new Map<string, HTMLLIElement>();
  /** `code:seq` of the messages drawn already: drawn again (a reaction, a pin) they do not rise in again. */
  const drawn = new Set<string>();
  /** `code:seq` of the messages this page reported. */
  const reported = new Set<string>();
  let shown: { code: string; room: JoinedRoom } | null = null;

  const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < STICKY_PX;
  const scrollToEnd = () => {
    list.scrollTop = list.scrollHeight;
    show(jump, false);
  };
  const loadOlder = () => {
    if (shown && canLoadOlder(shown.room.timeline) && !shown.room.loadingOlder) void actions.loadOlder(shown.code);
  };

  const renderSystem = (m: RoomMessage): HTMLLIElement => {
    const item = el('li', 'system room-system');
    item.dataset.testid = 'room-system-message';
    item.dataset.seq = String(m.seq);
    // The words in the reader's language; a name in them may run either way, so the line takes its own direction.
    item.append(userText('span', undefined, systemWords(m)), document.createTextNode(' · '), timeNode(m.sentAt));
    return item;
  };

  /** Whether the user may still edit or delete `m` (the server's clock decides; this only hides the buttons). */
  const changeable = (room: JoinedRoom, m: RoomMessage, now: number): boolean =>
    canChangeOwn(m, room.you.name, now, settings.roomEditWindowMs, room.editsClosed);
  /** When one of the shown own messages leaves its edit window: drawn again then. */
  let redrawAt = Infinity;

  const renderMessage = (code: string, room: JoinedRoom, m: RoomMessage, changeable: boolean): HTMLLIElement => {
    if (m.kind === 'system') return renderSystem(m);
    const mine = m.name === room.you.name;
    const item = el('li', `msg ${mine ? 'msg-me' : 'msg-partner'}`);
    item.dataset.testid = 'room-message';
    item.dataset.seq = String(m.seq);
    item.dataset.from = mine ? 'me' : 'other';
    item.dataset.name = m.name;
    item.dataset.kind = m.kind;
    if (!mine && mentionsYou(room, m)) {
      item.classList.add('msg-mention');
      item.dataset.mention = 'you';
    }
    if (!mine) {
      const name = userText('p', 'msg-name', m.name);
      if (m.kind === 'host') name.append(' ', el('span', 'member-tag member-host', t('room.tag_host')));
      item.append(name);
    }
    if (m.replyTo) item.append(quoteNode(room, m.replyTo));
    const bubble = el('p', 'bubble');
    bubble.append(el('span', 'visually-hidden', t('dm.said', { who: mine ? t('dm.you') : m.name })), userText('span', 'bubble-text', m.text));
    const meta = el('p', 'msg-meta');
    meta.append(timeNode(m.sentAt));
    if (m.editedAt !== undefined) {
      const edited = el('span', 'msg-edited', t('room.edited'));
      edited.dataset.testid = 'room-edited';
      edited.title = t('room.edited_at', { time: formatTime(m.editedAt) });
      meta.append(edited);
    }
    const reactions = reactionsOf(room.timeline, m);
    const react = (emoji: string, on: boolean) => void actions.react(code, m.seq, emoji, on);
    const reactButton = actionButton(t('room.react'), 'room-react', t('room.react_named', { name: m.name }), () => {
      const mine = new Set(reactions.filter((r) => r.mine).map((r) => r.emoji));
      togglePanel(item, reactButton, emojiPicker(mine, react));
    });
    reactButton.setAttribute('aria-expanded', 'false');
    meta.append(
      actionButton(t('room.reply'), 'room-reply', t('room.reply_named', { name: m.name, text: excerpt(m.text, 40) }), () => {
        actions.replyTo(m.seq);
        document.querySelector<HTMLElement>('[data-testid="room-input"]')?.focus();
      }),
      reactButton,
    );
    if (!mine && report) {
      const key = `${code}:${m.seq}`;
      const button = actionButton(t('page.report'), 'room-report', t('room.report_named', { name: m.name, text: excerpt(m.text, 40) }), () => {
        void report({ kind: 'room', code, seq: m.seq, name: m.name, text: m.text }).then((sent) => {
          if (!sent) return;
          reported.add(key);
          markReported(button);
        });
      });
      button.setAttribute('aria-haspopup', 'dialog');
      if (reported.has(key)) markReported(button);
      meta.append(button);
    }
    const moderator = canModerate(room.you);
    if (moderator && room.pins.some((p) => p.seq === m.seq)) {
      meta.append(actionButton(t('room.unpin'), 'room-unpin-message', t('room.unpin_named', { name: m.name }), () => void actions.unpin(code, m.seq)));
    } else if (moderator) {
      const pinButton = actionButton(t('room.pin'), 'room-pin', t('room.pin_named', { name: m.name }), () =>
        togglePanel(item, pinButton, pinMenu((durationMs) => void actions.pin(code, m.seq, durationMs))),
      );
      pinButton.setAttribute('aria-expanded', 'false');
      meta.append(pinButton);
    }
    if (changeable) {
      meta.append(
        actionButton(t('room.edit'), 'room-edit', t('room.edit_named', { text: excerpt(m.text, 40) }), () => actions.startEdit(m.seq)),
      );
    }
    if (moderator || changeable) {
      meta.append(
        actionButton(t('room.delete'), 'room-delete', mine ? t('room.delete_yours') : t('room.delete_named', { name: m.name }), () => {
          void confirm({
            title: t('room.delete_title'),
            text: t('room.delete_text'),
            confirm: t('room.delete'),
          }).then((yes) => {
            if (yes) void actions.deleteMessage(code, m.seq);
          });
        }),
      );
    }
    const chips = reactionChips(reactions, react);
    item.append(bubble, ...(chips ? [chips] : []), meta);
    return item;
  };

  const renderPending = (code: string, room: JoinedRoom, p: PendingMessage): HTMLLIElement => {
    const item = el('li', 'msg msg-me');
    item.dataset.testid = 'room-message';
    item.dataset.from = 'me';
    item.dataset.status = p.status;
    if (p.replyTo) item.append(quoteNode(room, p.replyTo));
    const bubble = el('p', 'bubble');
    bubble.append(el('span', 'visually-hidden', t('chat.you_said')), userText('span', 'bubble-text', p.text));
    const meta = el('p', 'msg-meta');
    meta.append(timeNode(p.at), document.createTextNode(' · '));
    if (p.status === 'failed') {
      meta.append(el('span', 'msg-delivery msg-failed', t('chat.not_sent')), document.createTextNode(' '));
      const retry = el('button', 'msg-retry', t('chat.retry'));
      retry.type = 'button';
      retry.addEventListener('click', () => actions.retry(code, p.key));
      meta.append(retry);
    } else meta.append(el('span', 'msg-delivery', t('chat.sending')));
    item.append(bubble, meta);
    return item;
  };

  const render = (code: string, room: JoinedRoom) => {
    const previous = shown;
    const sameRoom = previous?.code === code;
    const stick = !sameRoom || atBottom();
    const prevHeight = list.scrollHeight;
    const prevTop = list.scrollTop;
    if (!sameRoom) nodes.clear();

    const children: HTMLLIElement[] = [];
    if (canLoadOlder(room.timeline)) {
      olderButton.textContent = room.loadingOlder ? t('dm.loading_older') : t('dm.load_older');
      olderButton.disabled = room.loadingOlder;
      children.push(older);
    } else if (!room.timeline.hasMore || oldestSeq(room.timeline) === 1 || room.timeline.messages.length === 0) children.push(start);
    const seen = new Set<string>();
    const now = Date.now();
    for (const m of room.timeline.messages) {
      const open = changeable(room, m, now);
      const quoteKey = m.replyTo ? (findBySeq(room.timeline, m.replyTo) ? 'q' : 'n') : '';
      const pinned = room.pins.some((p) => p.seq === m.seq) ? 'p' : '';
      const marks = JSON.stringify(reactionsOf(room.timeline, m));
      const key = `${m.seq}|${m.editedAt ?? ''}|${room.you.role}|${room.you.name}|${quoteKey}|${pinned}|${open ? 'e' : ''}|${marks}`;
      seen.add(key);
      let node = nodes.get(key);
      if (!node) {
        node = renderMessage(code, room, m, open);
        if (drawn.has(`${code}:${m.seq}`)) node.classList.add('msg-still');
        drawn.add(`${code}:${m.seq}`);
        nodes.set(key, node);
      }
      children.push(node);
    }
    for (const key of nodes.keys()) if (!seen.has(key)) nodes.delete(key);
    for (const p of room.pending) children.push(renderPending(code, room, p));
    list.replaceChildren(...children);
    redrawAt = nextEditWindowEnd(room.timeline.messages, room.you.name, now, settings.roomEditWindowMs);

    const grewOlder = sameRoom && (oldestSeq(room.timeline) ?? 0) < (oldestSeq(previous!.room.timeline) ?? 0);
    const grewNewer = !sameRoom || (newestSeq(room.timeline) ?? 0) > (newestSeq(previous!.room.timeline) ?? 0) || room.pending.length > previous!.room.pending.length;
    if (grewOlder) list.scrollTop = prevTop + (list.scrollHeight - prevHeight);
    else if (stick || room.pending.length > (previous?.room.pending.length ?? 0)) scrollToEnd();
    else if (grewNewer) show(jump, true);
    else list.scrollTop = prevTop;
    shown = { code, room };
  };

  // An edit window closing changes no state: a tick past it draws the list again (only the messages it closed change).
  setInterval(() => {
    if (shown && Date.now() >= redrawAt) render(shown.code, shown.room);
  }, 1000);

  olderButton.addEventListener('click', loadOlder);
  jump.addEventListener('click', scrollToEnd);
  list.addEventListener('scroll', () => {
    if (!jump.hidden && atBottom()) show(jump, false);
    if (list.scrollTop < LOAD_OLDER_PX) loadOlder();
  });

  let tab = store.get().tab;
  store.subscribe((state) => {
    // A list hidden with its tab lost its place: come back at the newest message.
    if (state.tab !== tab && state.tab === 'rooms' && shown) requestAnimationFrame(scrollToEnd);
    tab = state.tab;
    const room = state.active ? state.joined.get(state.active) : undefined;
    if (!state.active || !room) {
      shown = null;
      return;
    }
    if (shown?.code === state.active && shown.room.timeline === room.timeline && shown.room.pending === room.pending && shown.room.pins === room.pins &&
      shown.room.you === room.you && shown.room.loadingOlder === room.loadingOlder && shown.room.editsClosed === room.editsClosed) {
      shown = { code: state.active, room };
      return;
    }
    render(state.active, room);
  });
}
