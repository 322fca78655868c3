/**
 * The contacts' side of the page: saved contacts, the conversations opened,
 * the "Keep in touch" offer of the current or last chat, and the identity
 * settings. Reducers here are pure; the controller applies them to the store.
 */
import type { Contact, KeepInTouchState } from '@parley/protocol';
import { createStoreOf, type StoreOf } from '../app/state';
import { EMPTY_DM_LOG, type DmLog } from './dm-log';
import { t } from '../i18n/i18n';

/** An own message not yet acknowledged (`sending`) or refused (`failed`). */
export interface PendingDm {
  key: string;
  text: string;
  at: number;
  status: 'sending' | 'failed';
}

export interface Conversation {
  log: DmLog;
  pending: readonly PendingDm[];
  /** The contact is typing now. */
  typing: boolean;
  /** The newest page has been read since the last (re)connect. */
  fresh: boolean;
  loadingOlder: boolean;
  /** Id last sent as `dm-read { upTo }`, so a receipt goes out once. */
  readSent: string | null;
}

/**
 * "Keep in touch" for one chat: what this side did (`mine`) and whether the
 * partner asked (`theirs`). `endedAt` starts the window in which it still works.
 */
export interface Offer {
  roomId: string;
  mine: 'none' | 'sending' | KeepInTouchState;
  theirs: boolean;
  endedAt: number | null;
}

export interface ContactsState {
  /** By contactId; replaced (never mutated) on change. */
  contacts: ReadonlyMap<string, Contact>;
  /** False until the first `contacts-list` answer. */
  loaded: boolean;
  /** The conversation shown; null shows the list. */
  active: string | null;
  conversations: ReadonlyMap<string, Conversation>;
  offer: Offer | null;
  appearOffline: boolean;
  /** One-line news for the list screen (a contact saved, removed…). */
  notice: string | null;
  error: { scope: 'list' | 'dm' | 'offer' | 'identity'; text: string } | null;
}

export type ContactsStateStore = StoreOf<ContactsState>;

export function createContactsStateStore(appearOffline = false): ContactsStateStore {
  return createStoreOf<ContactsState>({
    contacts: new Map(),
    loaded: false,
    active: null,
    conversations: new Map(),
    offer: null,
    appearOffline,
    notice: null,
    error: null,
  });
}

export function emptyConversation(): Conversation {
  return { log: EMPTY_DM_LOG, pending: [], typing: false, fresh: false, loadingOlder: false, readSent: null };
}

/** Applies `change` to one contact; nothing when it is not (or no longer) a contact. */
export function updateContact(store: ContactsStateStore, contactId: string, change: (c: Contact) => Contact): void {
  const current = store.get().contacts.get(contactId);
  if (!current) return;
  const next = change(current);
  if (next === current) return;
  store.set({ contacts: new Map(store.get().contacts).set(contactId, next) });
}

/** Applies `change` to a contact's conversation, creating it when needed (only for a contact). */
export function updateConversation(
  store: ContactsStateStore,
  contactId: string,
  change: (c: Conversation) => Conversation,
): void {
  if (!store.get().contacts.has(contactId)) return;
  const current = store.get().conversations.get(contactId) ?? emptyConversation();
  const next = change(current);
  if (next === current) return;
  store.set({ conversations: new Map(store.get().conversations).set(contactId, next) });
}

/** Forgets a contact and its conversation (removed, blocked, or removed by the other side). */
export function dropContact(store: ContactsStateStore, contactId: string): void {
  const { contacts, conversations, active } = store.get();
  if (!contacts.has(contactId)) return;
  const nextContacts = new Map(contacts);
  nextContacts.delete(contactId);
  const nextConversations = new Map(conversations);
  nextConversations.delete(contactId);
  store.set({ contacts: nextContacts, conversations: nextConversations, active: active === contactId ? null : active });
}

/** The list order: the most recent conversation first, then contacts online, then by name. */
export function sortContacts(contacts: Iterable<Contact>): Contact[] {
  return [...contacts].sort(
    (a, b) =>
      (b.lastMessage?.sentAt ?? 0) - (a.lastMessage?.sentAt ?? 0) ||
      Number(b.online) - Number(a.online) ||
      a.nickname.localeCompare(b.nickname),
  );
}

/** Unread messages across every contact, for the tab's badge. */
export function totalUnread(contacts: Iterable<Contact>): number {
  let sum = 0;
  for (const c of contacts) sum += c.unread;
  return sum;
}

/** True while "Keep in touch" can still be asked for: during the chat, and for `windowMs` after it ended. */
export function offerOpen(offer: Offer | null, now: number, windowMs: number): boolean {
  if (!offer || offer.mine === 'connected') return false;
  return offer.endedAt === null || now - offer.endedAt < windowMs;
}

/** The offer after the chat store moved: a new chat starts afresh, an end starts the window. */
export function nextOffer(
  offer: Offer | null,
  chat: { phase: string; roomId: string | null },
  now: number,
): Offer | null {
  if (chat.phase === 'chatting' && chat.roomId) {
    if (offer?.roomId === chat.roomId) return offer.endedAt === null ? offer : { ...offer, endedAt: null };
    return { roomId: chat.roomId, mine: 'none', theirs: false, endedAt: null };
  }
  if (offer && offer.endedAt === null && chat.phase !== 'chatting') return { ...offer, endedAt: now };
  return offer;
}

/** The list's preview of the newest message: "You: see you" or the contact's text. */
export function previewOf(contact: Contact): string {
  const last = contact.lastMessage;
  if (!last) return t('contacts.no_messages');
  const line = last.text.replace(/\s+/g, ' ').trim();
  return last.mine ? t('contacts.you_wrote', { text: line }) : line;
}

/** "Online", "Away" (just closed parley; may be back in a moment), "Last seen 14:05", "Last seen 27 Nov" or "Offline". */
export function presenceText(contact: Contact, now: number, formatTime: (ms: number) => string, formatDay: (ms: number) => string): string {
  if (contact.online) return t('presence.contact_online');
  if (contact.presence === 'away') return t('presence.contact_away');
  if (contact.lastSeenAt === null) return t('presence.contact_offline');
  const sameDay = new Date(contact.lastSeenAt).toDateString() === new Date(now).toDateString();
  return t('presence.last_seen', { when: sameDay ? formatTime(contact.lastSeenAt) : formatDay(contact.lastSeenAt) });
}
