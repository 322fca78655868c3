/**
 * The contacts list: one row per contact (online dot, nickname, the newest
 * message, its time, the unread badge), the notices, the suggestion to save
 * the recovery key, and the unread count on the Contacts tab.
 */
import type { Contact } from '@parley/protocol';
import { describedBy, labelledBy, spaced } from '../../a11y/names';
import { byTestId, el, setMessage, show, userText } from '../../app/dom';
import { formatCount, formatWhen } from '../../app/format';
import type { ContactActions } from '../contacts-controller';
import { previewOf, sortContacts, totalUnread, type ContactsStateStore } from '../contacts-state';
import { t } from '../../i18n/i18n';

function unreadLabel(n: number): string {
  return t('contacts.unread', { count: n });
}

function contactRow(contact: Contact, active: boolean, onOpen: () => void): HTMLLIElement {
  const item = el('li', 'contact-item');
  item.dataset.testid = 'contact-item';
  item.dataset.contactId = contact.contactId;
  item.dataset.online = String(contact.online);
  item.dataset.presence = contact.presence;
  item.dataset.unread = String(contact.unread);
  const button = el('button', 'contact-open');
  button.type = 'button';
  if (active) button.setAttribute('aria-current', 'true');
  const avatar = el('span', 'contact-avatar');
  avatar.setAttribute('aria-hidden', 'true');
  const dot = el('span', `presence-dot${contact.online ? ' presence-online' : contact.presence === 'away' ? ' presence-away' : ''}`);
  dot.dataset.testid = 'contact-online';
  avatar.append(dot);
  const text = el('span', 'contact-text');
  const top = el('span', 'contact-top');
  const name = userText('span', 'contact-name', contact.nickname);
  const time = contact.lastMessage ? el('span', 'contact-time', formatWhen(contact.lastMessage.sentAt)) : null;
  top.append(...spaced(name, time));
  const bottom = el('span', 'contact-bottom');
  const preview = userText('span', 'contact-preview', previewOf(contact));
  preview.dataset.testid = 'contact-preview';
  bottom.append(preview);
  let badge: HTMLElement | null = null;
  if (contact.unread > 0) {
    badge = el('span', 'badge', formatCount(contact.unread));
    badge.dataset.testid = 'contact-unread';
    badge.setAttribute('aria-hidden', 'true');
    bottom.append(' ', badge);
  }
  // Whether online and how many unread, said after the row's name, which is what the row shows.
  const parts = [t(contact.online ? 'contacts.row_online' : contact.presence === 'away' ? 'contacts.row_away' : 'contacts.row_offline')];
  if (contact.unread > 0) parts.push(unreadLabel(contact.unread));
  const state = el('span', 'visually-hidden', parts.join(', '));
  state.dataset.testid = 'contact-state';
  text.append(...spaced(top, bottom, state));
  labelledBy(button, name, time, preview, badge);
  describedBy(button, state);
  button.append(avatar, text);
  button.addEventListener('click', onOpen);
  item.append(button);
  return item;
}

export function mountContactsList(
  store: ContactsStateStore,
  actions: ContactActions,
  keyPrompt: { visible(): boolean; onOpen(): void },
): void {
  const list = byTestId<HTMLUListElement>('contacts-list');
  const empty = byTestId('contacts-empty');
  const notice = byTestId('contacts-notice');
  const error = byTestId('contacts-error');
  const prompt = byTestId('key-prompt');
  const badge = byTestId('tab-contacts-unread');
  byTestId('key-prompt-open').addEventListener('click', () => {
    keyPrompt.onOpen();
    show(prompt, keyPrompt.visible());
  });

  let drawn: { contacts: unknown; active: string | null } | null = null;
  store.subscribe((state) => {
    if (drawn?.contacts !== state.contacts || drawn.active !== state.active) {
      const rows = sortContacts(state.contacts.values()).map((c) =>
        contactRow(c, c.contactId === state.active, () => actions.open(c.contactId)),
      );
      list.replaceChildren(...rows);
      drawn = { contacts: state.contacts, active: state.active };
    }
    show(empty, state.loaded && state.contacts.size === 0);
    show(prompt, state.contacts.size > 0 && keyPrompt.visible());
    setMessage(notice, state.notice);
    setMessage(error, state.error?.scope === 'list' ? state.error.text : null);

    const unread = totalUnread(state.contacts.values());
    badge.textContent = unread ? formatCount(unread) : '';
    badge.setAttribute('aria-label', unreadLabel(unread));
    show(badge, unread > 0);
  });
}
