/**
 * The header switch between "Chat with a stranger", "Rooms" and "Contacts".
 * All stay live: a dot on the chat tab says something happened there
 * meanwhile, and the rooms tab counts the rooms joined, or the unread messages
 * in them while there are some (the contacts tab's
 * unread count is drawn by the contacts' views).
 */
import { byTestId, show } from '../../app/dom';
import type { MessageLog } from '../../chat/message-log';
import type { Store } from '../../app/state';
import type { RoomActions } from '../rooms-controller';
import type { RoomsStateStore, Tab } from '../rooms-state';
import { totalUnread } from '../unread';
import { t } from '../../i18n/i18n';

export function mountTabs(rooms: RoomsStateStore, chat: Store, log: MessageLog, actions: RoomActions): void {
  const tabs: Record<Tab, HTMLButtonElement> = {
    chat: byTestId<HTMLButtonElement>('tab-chat'),
    rooms: byTestId<HTMLButtonElement>('tab-rooms'),
    contacts: byTestId<HTMLButtonElement>('tab-contacts'),
  };
  const panels: Record<Tab, HTMLElement> = {
    chat: document.querySelector<HTMLElement>('[data-panel="chat"]')!,
    rooms: document.querySelector<HTMLElement>('[data-panel="rooms"]')!,
    contacts: document.querySelector<HTMLElement>('[data-panel="contacts"]')!,
  };
  const attention = byTestId('tab-chat-attention');
  const count = byTestId('tab-rooms-count');

  tabs.chat.addEventListener('click', () => actions.setTab('chat'));
  tabs.rooms.addEventListener('click', () => actions.setTab('rooms'));
  tabs.contacts.addEventListener('click', () => actions.setTab('contacts'));

  const flag = () => {
    if (rooms.get().tab !== 'chat') show(attention, true);
  };
  chat.subscribe((state, previous) => {
    if (state.phase !== previous.phase && state.phase !== 'idle') flag();
  });
  log.subscribe((change) => {
    if (change.type === 'add' && change.message.from === 'partner') flag();
  });

  let shown: Tab | null = null;
  rooms.subscribe((state) => {
    if (state.tab !== shown) {
      for (const tab of ['chat', 'rooms', 'contacts'] as const) {
        tabs[tab].setAttribute('aria-pressed', String(tab === state.tab));
        show(panels[tab], tab === state.tab);
      }
      document.documentElement.dataset.tab = state.tab;
      if (state.tab === 'chat') show(attention, false);
      shown = state.tab;
    }
    // The rooms joined, or while some hold unread messages, how many.
    const joined = state.joined.size;
    const unread = totalUnread(state.joined.values());
    count.textContent = unread ? (unread > 99 ? '99+' : String(unread)) : joined ? String(joined) : '';
    count.setAttribute('aria-label', unread ? t('rooms.unread', { count: unread }) : t('rooms.joined', { count: joined }));
    count.dataset.unread = String(unread);
    count.classList.toggle('tab-count-unread', unread > 0);
    show(count, joined > 0);
  });
}
