/**
 * The pinned bar at the top of a room: each pinned message with who wrote it
 * and, for a timed pin, until when. A tap shows the message in the list when
 * it is loaded; the host and co-hosts unpin from here. The server sends the pins again
 * when one ends, so the bar needs no timer of its own.
 */
import type { RoomPin } from '@parley/protocol';
import { labelledBy, spaced } from '../../a11y/names';
import { byTestId, el, show, userText } from '../../app/dom';
import { formatTime } from '../../app/format';
import type { RoomActions } from '../rooms-controller';
import { excerpt } from '../room-timeline';
import { canModerate, type RoomsStateStore } from '../rooms-state';
import { t } from '../../i18n/i18n';

export function mountRoomPins(store: RoomsStateStore, actions: RoomActions): void {
  const bar = byTestId('room-pins');
  let shown: { code: string; pins: readonly RoomPin[]; moderator: boolean } | null = null;

  const reveal = (seq: number) => {
    const node = document.querySelector<HTMLElement>(`[data-testid="room-messages"] [data-seq="${seq}"]`);
    if (!node) return;
    node.scrollIntoView({ block: 'center' });
    node.classList.add('msg-flash');
    setTimeout(() => node.classList.remove('msg-flash'), 1200);
  };

  const pinItem = (code: string, pin: RoomPin, moderator: boolean): HTMLLIElement => {
    const item = el('li', 'pin');
    item.dataset.testid = 'room-pin-item';
    item.dataset.seq = String(pin.seq);
    const open = el('button', 'pin-open');
    open.type = 'button';
    const icon = el('span', 'pin-icon', '📌');
    icon.setAttribute('aria-hidden', 'true');
    const name = userText('span', 'pin-name', pin.name);
    const text = userText('span', 'pin-text', excerpt(pin.text, 120));
    const until = pin.until === null ? null : el('span', 'pin-until', t('room.pin_until', { time: formatTime(pin.until) }));
    open.append(...spaced(icon, name, text, until));
    // Named by what it shows (the list is "Pinned messages"): who, what, and until when.
    labelledBy(open, name, text, until);
    open.addEventListener('click', () => reveal(pin.seq));
    item.append(open);
    if (moderator) {
      const unpin = el('button', 'btn btn-ghost btn-sm pin-unpin', t('room.unpin'));
      unpin.type = 'button';
      unpin.dataset.testid = 'room-unpin';
      unpin.setAttribute('aria-label', t('room.unpin_from', { name: pin.name }));
      unpin.addEventListener('click', () => void actions.unpin(code, pin.seq));
      item.append(unpin);
    }
    return item;
  };

  store.subscribe((state) => {
    const room = state.active ? state.joined.get(state.active) : undefined;
    if (!room) {
      shown = null;
      return;
    }
    const code = room.info.code;
    const moderator = canModerate(room.you);
    if (shown && shown.code === code && shown.pins === room.pins && shown.moderator === moderator) return;
    shown = { code, pins: room.pins, moderator };
    bar.replaceChildren(...room.pins.map((pin) => pinItem(code, pin, moderator)));
    show(bar, room.pins.length > 0);
  });
}
