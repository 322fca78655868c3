/** Wires contacts and direct messages into the page: their controllers on the page's client, and their views. */
import type { ParleyClient } from '../app/connection';
import { byTestId, show } from '../app/dom';
import type { RoomActions } from '../rooms/rooms-controller';
import type { RoomsStateStore } from '../rooms/rooms-state';
import { mountConfirm } from '../ui/confirm';
import type { OpenReport } from '../moderation/views/report-dialog';
import type { Settings } from '../app/settings';
import type { Store } from '../app/state';
import { createContactsStateStore, type ContactsStateStore } from './contacts-state';
import { createContactsController, type ContactActions } from './contacts-controller';
import { createIdentityActions, readAppearOffline, settleRestore } from './identity-actions';
import { createOfferController } from './keep-in-touch';
import { contactRequests } from './requests';
import { mountContactsList } from './views/contacts-list';
import { mountDmMessages } from './views/dm-messages';
import { mountDmView } from './views/dm-view';
import { mountIdentitySettings } from './views/identity-settings';
import { mountKeepBars } from './views/keep-bar';

export function mountContacts(
  client: ParleyClient,
  chat: Store,
  rooms: { store: RoomsStateStore; actions: RoomActions },
  settings: Settings,
  report?: OpenReport,
): { store: ContactsStateStore; actions: ContactActions } {
  const store = createContactsStateStore(readAppearOffline());
  const api = contactRequests(client);
  const actions = createContactsController(client, api, store, settings);
  const offers = createOfferController(client, api, store, chat, settings.contactOfferMs);
  const identity = createIdentityActions(client, api, store);
  const confirm = mountConfirm('contact-confirm');
  const openContacts = () => rooms.actions.setTab('contacts');

  /** The open conversation is really in front of the person: its messages count as read. */
  const visible = () =>
    rooms.store.get().tab === 'contacts' && store.get().active !== null && document.visibilityState === 'visible';
  const readIfVisible = () => {
    const active = store.get().active;
    if (active && visible()) actions.markRead(active);
  };

  const showKey = mountIdentitySettings(store, identity, confirm);
  mountContactsList(store, actions, { visible: () => !identity.keySaved(), onOpen: showKey });
  mountDmView(store, actions, confirm, settings, visible);
  mountDmMessages(store, actions, settings.dmRetentionDays, report);
  mountKeepBars(store, chat, offers, openContacts);

  // The stranger's offer, while another side of the page is shown: the chat tab's dot says so.
  const chatAttention = byTestId('tab-chat-attention');
  store.subscribe((state, previous) => {
    if (state.offer?.theirs && !previous.offer?.theirs && rooms.store.get().tab !== 'chat') show(chatAttention, true);
  });

  store.subscribe(readIfVisible);
  rooms.store.subscribe(readIfVisible);
  document.addEventListener('visibilitychange', readIfVisible);

  // After a reload for "Use a recovery key": say whether the key was taken.
  client.on('session', ({ token }) => {
    const outcome = settleRestore(token, () => client.reconnect());
    if (!outcome) return;
    openContacts();
    if (outcome.ok) store.set({ notice: outcome.text });
    else store.set({ error: { scope: 'identity', text: outcome.text } });
  });

  return { store, actions };
}
