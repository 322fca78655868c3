/**
 * Contacts and direct messages: server events to the contacts state, user
 * actions to requests. Works beside the chat's and the rooms' controllers on
 * the same client. The client (@parley/client) keeps each conversation's
 * stream: every direct message, own ones once acknowledged, arrives once and
 * in seq order as `dm`, and after a reconnect a conversation with traffic is
 * synced from its last seq.
 */
import type { Contact } from '@parley/protocol';
import type { DirectMessage } from '@parley/client';
import type { ParleyClient } from '../app/connection';
import { describe, type Problem } from '../app/errors';
import { characterCount } from '../ui/length-counter';
import type { Settings } from '../app/settings';
import { addOlderDms, applyNewestPage, markMineRead, mergeDms, newestTheirs, olderDmQuery, DM_PAGE, EMPTY_DM_LOG } from './dm-log';
import {
  dropContact,
  updateContact,
  updateConversation,
  type ContactsState,
  type ContactsStateStore,
} from './contacts-state';
import type { ContactRequests } from './requests';
import { t } from '../i18n/i18n';

/** Longest nickname the server accepts, in characters (code points). */
export const NICKNAME_MAX = 40;

export interface ContactActions {
  /** Reads the contact list again. */
  refresh(): Promise<void>;
  /** Shows a conversation (reading its newest messages when needed), or the list for null. */
  open(contactId: string | null): void;
  send(contactId: string, text: string): void;
  retry(contactId: string, key: string): void;
  typing(contactId: string, isTyping: boolean): void;
  loadOlder(contactId: string): Promise<void>;
  /** The conversation is on screen: its messages count as read (sends one receipt per newest message). */
  markRead(contactId: string): void;
  /** Resolves true once the server took the new nickname. */
  rename(contactId: string, nickname: string): Promise<boolean>;
  remove(contactId: string): Promise<void>;
  block(contactId: string): Promise<void>;
  dismissNotice(): void;
  dismissError(): void;
}

type Scope = NonNullable<ContactsState['error']>['scope'];

export function createContactsController(
  client: ParleyClient,
  api: ContactRequests,
  store: ContactsStateStore,
  settings: Settings,
  now: () => number = Date.now,
): ContactActions {
  let pendingKey = 0;
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  const fail = (scope: Scope, problem: Problem) =>
    store.set({ error: { scope, text: describe(problem, settings.maxMessageLength) } });

  const setTyping = (contactId: string, isTyping: boolean) => {
    clearTimeout(typingTimers.get(contactId));
    typingTimers.delete(contactId);
    // The server clears the flag itself; this only guards against a lost `false`.
    if (isTyping) typingTimers.set(contactId, setTimeout(() => setTyping(contactId, false), settings.typingTimeoutMs + 1000));
    updateConversation(store, contactId, (c) => (c.typing === isTyping ? c : { ...c, typing: isTyping }));
  };

  const setLastMessage = (contactId: string, last: NonNullable<Contact['lastMessage']>, unreadBy = 0) =>
    updateContact(store, contactId, (c) => {
      const newer = !c.lastMessage || c.lastMessage.sentAt <= last.sentAt;
      return { ...c, ...(newer ? { lastMessage: last } : {}), unread: c.unread + unreadBy };
    });

  /** Reads the newest page of a conversation and merges it. */
  const loadNewest = async (contactId: string) => {
    const page = await api.history({ contactId, limit: DM_PAGE });
    if (!page.ok) {
      if (!client.connected) return; // cut off by a reconnect, which reads it again
      if (page.problem === 'CONTACT_NOT_FOUND') dropContact(store, contactId);
      return fail('dm', page.problem);
    }
    updateConversation(store, contactId, (c) => ({ ...c, fresh: true, log: applyNewestPage(c.log, page) }));
  };

  const refresh = async () => {
    const outcome = await api.list();
    if (!outcome.ok) return client.connected ? fail('list', outcome.problem) : undefined; // a reconnect reads it again
    const contacts = new Map(outcome.contacts.map((c) => [c.contactId, c]));
    const conversations = new Map([...store.get().conversations].filter(([id]) => contacts.has(id)));
    const active = store.get().active;
    store.set({ contacts, conversations, loaded: true, active: active && contacts.has(active) ? active : null });
  };

  // --- server events -------------------------------------------------------

  client.on('connect', () => {
    // Anything may have happened while offline: every conversation is read again when next shown.
    const conversations = new Map([...store.get().conversations].map(([id, c]) => [id, { ...c, fresh: false, typing: false }]));
    store.set({ conversations });
    void refresh().then(() => {
      const active = store.get().active;
      if (active) void loadNewest(active);
    });
  });

  client.on('contact-added', ({ contact }) => {
    store.set({
      contacts: new Map(store.get().contacts).set(contact.contactId, contact),
      notice: t('contacts.added', { name: contact.nickname }),
    });
  });

  client.on('contact-removed', ({ contactId }) => {
    const contact = store.get().contacts.get(contactId);
    if (!contact) return;
    dropContact(store, contactId);
    store.set({ notice: t('contacts.gone', { name: contact.nickname }) });
  });

  client.on('contact-presence', ({ contactId, online, state }) => {
    const presence = state ?? (online ? 'online' : 'offline');
    updateContact(store, contactId, (c) => {
      if (c.online === online && c.presence === presence) return c;
      // Leaving (away, then offline) is when the contact was last seen; the second step keeps that time.
      const seen = online || c.presence !== 'online' ? {} : { lastSeenAt: Math.floor(now() / 60_000) * 60_000 };
      return { ...c, online, presence, ...seen };
    });
  });

  client.on('dm', (event: DirectMessage) => {
    if (!store.get().contacts.has(event.contactId)) {
      void refresh(); // a contact made on another device or just now: the list has it
      return;
    }
    const { contactId, epoch: _epoch, mine, ...fields } = event;
    if (!mine) setTyping(contactId, false);
    let added = false;
    updateConversation(store, contactId, (c) => {
      const log = mergeDms(c.log, [{ ...fields, mine, readAt: null }]);
      added = log !== c.log;
      return added ? { ...c, log } : c;
    });
    if (added) setLastMessage(contactId, { mine, text: event.text, sentAt: event.sentAt }, mine ? 0 : 1);
  });

  // The conversation's history was lost: it is read again when next shown.
  client.on('stream-reset', ({ stream }) => {
    if (stream.kind !== 'dm') return;
    updateConversation(store, stream.contactId, (c) => ({ ...c, fresh: false, log: EMPTY_DM_LOG }));
    if (store.get().active === stream.contactId) void loadNewest(stream.contactId);
  });

  client.on('dm-read', ({ contactId, upTo }) => {
    updateConversation(store, contactId, (c) => {
      const log = markMineRead(c.log, upTo, now());
      return log === c.log ? c : { ...c, log };
    });
  });

  client.on('dm-typing', ({ contactId, isTyping }) => setTyping(contactId, isTyping));

  // --- user actions --------------------------------------------------------

  const deliver = async (contactId: string, key: string) => {
    const item = store.get().conversations.get(contactId)?.pending.find((p) => p.key === key);
    if (!item) return;
    const mark = (status: 'sending' | 'failed') =>
      updateConversation(store, contactId, (c) => ({
        ...c,
        pending: c.pending.map((p) => (p.key === key ? { ...p, status } : p)),
      }));
    mark('sending');
    const outcome = await api.send({ contactId, text: item.text });
    if (!outcome.ok) {
      mark('failed');
      if (outcome.problem === 'CONTACT_NOT_FOUND') dropContact(store, contactId);
      return fail('dm', outcome.problem);
    }
    const { id, seq, sentAt } = outcome.message;
    updateConversation(store, contactId, (c) => ({
      ...c,
      pending: c.pending.filter((p) => p.key !== key),
      log: mergeDms(c.log, [{ seq, id, sentAt, mine: true, text: item.text, readAt: null }]),
    }));
    setLastMessage(contactId, { mine: true, text: item.text, sentAt });
  };

  const actions: ContactActions = {
    refresh,
    open(contactId) {
      if (contactId !== null && !store.get().contacts.has(contactId)) return;
      store.set({ active: contactId, error: null, notice: null });
      if (contactId && !store.get().conversations.get(contactId)?.fresh) void loadNewest(contactId);
    },
    send(contactId, raw) {
      const text = raw.trim();
      if (!text) return fail('dm', 'EMPTY_MESSAGE');
      if (characterCount(text) > settings.maxMessageLength) return fail('dm', 'MESSAGE_TOO_LONG');
      const key = `d${++pendingKey}`;
      store.set({ error: null });
      updateConversation(store, contactId, (c) => ({
        ...c,
        pending: [...c.pending, { key, text, at: now(), status: 'sending' }],
      }));
      void deliver(contactId, key);
    },
    retry(contactId, key) {
      store.set({ error: null });
      void deliver(contactId, key);
    },
    typing(contactId, isTyping) {
      if (store.get().contacts.has(contactId)) api.typing(contactId, isTyping);
    },
    async loadOlder(contactId) {
      const conversation = store.get().conversations.get(contactId);
      const query = conversation && !conversation.loadingOlder ? olderDmQuery(conversation.log) : null;
      if (!query) return;
      updateConversation(store, contactId, (c) => ({ ...c, loadingOlder: true }));
      const page = await api.history({ contactId, ...query });
      updateConversation(store, contactId, (c) => ({
        ...c,
        loadingOlder: false,
        ...(page.ok ? { log: addOlderDms(c.log, page) } : {}),
      }));
      if (!page.ok) fail('dm', page.problem);
    },
    markRead(contactId) {
      const conversation = store.get().conversations.get(contactId);
      if (!conversation?.fresh) return;
      updateContact(store, contactId, (c) => (c.unread === 0 ? c : { ...c, unread: 0 }));
      const newest = newestTheirs(conversation.log);
      if (!newest || newest.readAt !== null || conversation.readSent === newest.id) return;
      const at = now();
      updateConversation(store, contactId, (c) => ({
        ...c,
        readSent: newest.id,
        log: { ...c.log, messages: c.log.messages.map((m) => (!m.mine && m.readAt === null ? { ...m, readAt: at } : m)) },
      }));
      void api.read(contactId, newest.id).then((outcome) => {
        // Not marked on the server: the next look at the conversation tries again.
        if (!outcome.ok) updateConversation(store, contactId, (c) => ({ ...c, readSent: null }));
      });
    },
    async rename(contactId, raw) {
      const nickname = raw.trim();
      // Never shortened here: the rename dialog tells the length before it gets this far.
      if (!nickname || characterCount(nickname) > NICKNAME_MAX) return false;
      const outcome = await api.rename(contactId, nickname);
      if (!outcome.ok) {
        fail('dm', outcome.problem);
        return false;
      }
      updateContact(store, contactId, (c) => ({ ...c, nickname }));
      return true;
    },
    async remove(contactId) {
      const nickname = store.get().contacts.get(contactId)?.nickname ?? t('contacts.the_contact');
      const outcome = await api.remove(contactId);
      if (!outcome.ok && outcome.problem !== 'CONTACT_NOT_FOUND') return fail('dm', outcome.problem);
      dropContact(store, contactId);
      store.set({ notice: t('contacts.removed', { name: nickname }), error: null });
    },
    async block(contactId) {
      const nickname = store.get().contacts.get(contactId)?.nickname ?? t('contacts.the_contact');
      const outcome = await api.block(contactId);
      if (!outcome.ok && outcome.problem !== 'CONTACT_NOT_FOUND') return fail('dm', outcome.problem);
      dropContact(store, contactId);
      store.set({ notice: t('contacts.blocked', { name: nickname }), error: null });
    },
    dismissNotice() {
      store.set({ notice: null });
    },
    dismissError() {
      store.set({ error: null });
    },
  };
  return actions;
}
