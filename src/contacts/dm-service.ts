/**
 * Direct messages between contacts: stored before they are acknowledged,
 * delivered live to the contact wherever it is, paged back within the
 * retention window, read receipts and typing. Plain code over the store, a
 * clock and a notifier.
 */
import { ClientError } from '../errors';
import type { Clock } from '../clock';
import type { DmHistoryMessage, SyncResult } from '../protocol';
import { newEpoch } from '../store/stream-epoch';
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

  /**
   * Stores the message, then delivers it; resolves once it is durable. A
   * `clientId` the sender used in this conversation already is answered with
   * the earlier message, delivering nothing.
   */
  async send(userId: string, contactId: string, text: string, replyTo?: string, clientId?: string): Promise<{ id: string; seq: number; sentAt: number }> {
    if (text.trim().length === 0) throw new ClientError('EMPTY_MESSAGE');
    const max = this.policy.maxMessageLength;
    // Characters, not UTF-16 units: an emoji counts once.
    if ((text.length <= max ? text.length : [...text].length) > max) {
      throw new ClientError('MESSAGE_TOO_LONG', `A message can be at most ${max} characters.`);
    }
    const contact = await this.deps.contacts.require(userId, contactId);
    const draft = {
      id: this.deps.newMessageId(),
      pairId: contact.pairId,
      from: userId,
      to: contact.peerId,
      text,
      sentAt: this.deps.clock.now(),
      ...(replyTo !== undefined ? { replyTo } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
    };
    const { dm, epoch, duplicate } = await this.deps.store.insertDm(draft, newEpoch);
    if (!duplicate) {
      const event = { contactId: contact.peerContactId, id: dm.id, seq: dm.streamSeq, epoch, text: dm.text, sentAt: dm.sentAt };
      this.deps.notifier.dm(contact.peerId, dm.replyTo !== undefined ? { ...event, replyTo: dm.replyTo } : event);
    }
    return { id: dm.id, seq: dm.streamSeq, sentAt: dm.sentAt };
  }

  /** `sync` of a conversation: what the stream holds after `afterSeq` within the retention window (see SyncPayload). */
  async sync(userId: string, contactId: string, afterSeq: number, epoch: string | undefined, limit: number): Promise<SyncResult<DmHistoryMessage>> {
    const contact = await this.deps.contacts.require(userId, contactId);
    const notBefore = this.retainedFrom();
    let stream = await this.deps.store.dmsAfter(contact.pairId, afterSeq, limit + 1, notBefore);
    // Another epoch than the client's: it held an earlier conversation's stream.
    if (epoch !== undefined && epoch !== stream.epoch && afterSeq > 0) stream = await this.deps.store.dmsAfter(contact.pairId, 0, limit + 1, notBefore);
    return {
      epoch: stream.epoch,
      lastSeq: stream.lastSeq,
      messages: stream.messages.slice(0, limit).map((m) => historyView(m, userId)),
      hasMore: stream.messages.length > limit,
    };
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
