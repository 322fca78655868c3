/**
 * What hangs under a room message besides its time: the reaction chips (a
 * count each, your own highlighted; a tap adds or takes back yours), the
 * small emoji picker of the fixed set, and the moderators' pin menu. Plain DOM
 * builders; the message list decides where they go.
 */
import type { RoomReaction } from '@parley/protocol';
import { el } from '../../app/dom';
import { formatCount } from '../../app/format';
import { t, type MessageKey } from '../../i18n/i18n';

/** The picker's emoji (the server takes any single emoji; these cover most of what people send). */
export const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉', '🔥'] as const;

/** How long a pin may last, as the host or a co-host picks it. */
export const PIN_CHOICES: readonly { label: MessageKey; durationMs?: number }[] = [
  { label: 'room.pin_hour', durationMs: 3_600_000 },
  { label: 'room.pin_day', durationMs: 86_400_000 },
  { label: 'room.pin_forever' },
];

function button(className: string, text: string, testId: string, onClick: () => void): HTMLButtonElement {
  const node = el('button', className, text);
  node.type = 'button';
  node.dataset.testid = testId;
  node.addEventListener('click', onClick);
  return node;
}

/** The chips of a message's reactions; null when it has none. */
export function reactionChips(reactions: readonly RoomReaction[], toggle: (emoji: string, on: boolean) => void): HTMLUListElement | null {
  if (reactions.length === 0) return null;
  const list = el('ul', 'reactions');
  list.dataset.testid = 'room-reactions';
  for (const r of reactions) {
    const chip = button(`reaction${r.mine ? ' reaction-mine' : ''}`, '', 'room-reaction', () => toggle(r.emoji, !r.mine));
    chip.dataset.emoji = r.emoji;
    chip.setAttribute('aria-pressed', String(r.mine));
    chip.setAttribute('aria-label', t(r.mine ? 'room.reaction_mine' : 'room.reaction', { emoji: r.emoji, count: r.count }));
    chip.append(el('span', 'reaction-emoji', r.emoji), el('span', 'reaction-count', formatCount(r.count)));
    const item = el('li');
    item.append(chip);
    list.append(item);
  }
  return list;
}

/** The emoji picker: one tap reacts (or takes back a reaction already yours) and closes it. */
export function emojiPicker(mine: ReadonlySet<string>, pick: (emoji: string, on: boolean) => void): HTMLDivElement {
  const picker = el('div', 'emoji-picker');
  picker.dataset.testid = 'room-emoji-picker';
  picker.setAttribute('role', 'group');
  picker.setAttribute('aria-label', t('room.react_with'));
  for (const emoji of REACTION_EMOJI) {
    const option = button(`emoji-option${mine.has(emoji) ? ' reaction-mine' : ''}`, emoji, 'room-emoji', () => pick(emoji, !mine.has(emoji)));
    option.dataset.emoji = emoji;
    option.setAttribute('aria-pressed', String(mine.has(emoji)));
    picker.append(option);
  }
  return picker;
}

/** The host's or a co-host's choice of how long to pin a message. */
export function pinMenu(pick: (durationMs?: number) => void): HTMLDivElement {
  const menu = el('div', 'pin-menu');
  menu.dataset.testid = 'room-pin-menu';
  menu.setAttribute('role', 'group');
  menu.setAttribute('aria-label', t('room.pin_for'));
  for (const choice of PIN_CHOICES) {
    const option = button('btn btn-ghost btn-sm', t(choice.label), 'room-pin-for', () => pick(choice.durationMs));
    option.dataset.duration = String(choice.durationMs ?? 0);
    menu.append(option);
  }
  return menu;
}
