/**
 * Direct messages between contacts: stored before they are acknowledged,
 * delivered live to the contact wherever it is, paged back within the
 * retention window, read receipts and typing. Plain code over the store, a
 * clock and a notifier.
 */
import { ClientError } from '../errors';
import type { Clock } from '../clock';
import type { DmHistoryMessage } from '../protocol';
import type { ContactsStore } from '../store/contacts-store';
import type { ContactService } from './contact-service';
import type { ContactNotifier, ContactPolicy } from './ports';
import { historyView } from './views';

const DAY_MS = 86_400_000;

export interface DmServiceDeps {
  store: ContactsStore;
  contacts: ContactService;
  clock: Clock;
  notifier: ContactNotifier;
  newMessageId: () => string;
}

export class DmService {
  constructor(
    private readonly deps: DmServiceDeps,
    private readonly policy: ContactPolicy,
  ) {}

  /** Stores the message, then delivers it; resolves once it is durable. */
  async send(userId: string, contactId: string, text: string, replyTo?: string): Promise<{ id: string; sentAt: number }> {
    if (text.trim().length === 0) throw new ClientError('EMPTY_MESSAGE');
    const max = this.policy.maxMessageLength;
    // Characters, not UTF-16 units: an emoji counts once.
    if ((text.length <= max ? text.length : [...text].length) > max) {
      throw new ClientError('MESSAGE_TOO_LONG', `A message can be at most ${max} characters.`);
    }
    const contact = await this.deps.contacts.require(userId, contactId);
    const draft = { id: this.deps.newMessageId(), pairId: contact.pairId, from: userId, to: contact.peerId, text, sentAt: this.deps.clock.now() };
    const stored = await this.deps.store.insertDm(replyTo !== undefined ? { ...draft, replyTo } : draft);
    const event = { contactId: contact.peerContactId, id: stored.id, text, sentAt: stored.sentAt };
    this.deps.notifier.dm(contact.peerId, replyTo !== undefined ? { ...event, replyTo } : event);
    return { id: stored.id, sentAt: stored.sentAt };
  }

  /** A page of the conversation within DM_RETENTION_DAYS, oldest first. */
  async history(userId: string, contactId: string, before: string | undefined, limit: number): Promise<{ messages: DmHistoryMessage[]; hasMore: boolean }> {
    const contact = await this.deps.contacts.require(userId, contactId);
    const query = { ...(before !== undefined ? { before } : {}), limit, notBefore: this.retainedFrom() };
    const page = await this.deps.store.dmPage(contact.pairId, query);
    return { messages: page.messages.map((m) => historyView(m, userId)), hasMore: page.hasMore };
  }

  /** Marks the contact's messages up to `upTo` read; the contact hears it when anything changed. */
  async read(userId: string, contactId: string, upTo: string): Promise<void> {
    const contact = await this.deps.contacts.require(userId, contactId);
    const changed = await this.deps.store.markRead(contact.pairId, userId, upTo, this.deps.clock.now());
    if (changed > 0) this.deps.notifier.read(contact.peerId, { contactId: contact.peerContactId, upTo });
  }

  async typing(userId: string, contactId: string, isTyping: boolean): Promise<void> {
    const contact = await this.deps.contacts.require(userId, contactId);
    this.deps.notifier.typing(contact.peerId, { contactId: contact.peerContactId, isTyping });
  }

  /** Deletes messages older than the retention window; returns how many. */
  purge(): Promise<number> {
    return this.deps.store.purgeDms(this.retainedFrom());
  }

  private retainedFrom(): number {
    return this.deps.clock.now() - this.policy.dmRetentionDays * DAY_MS;
  }
}
