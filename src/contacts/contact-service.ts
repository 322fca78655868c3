/**
 * The rules of saved contacts: keeping in touch after a chat, the contact
 * list, rename / remove / block, presence that survives a blip and can be
 * hidden, and deleting an identity. Plain code over stores, a clock and a
 * notifier: no transport here.
 */
import { ClientError } from '../errors';
import type { Clock } from '../clock';
import type { Contact, ContactPresence, KeepInTouchState } from '../protocol';
import type { ContactRecord, ContactsStore } from '../store/contacts-store';
import type { PresenceState, PresenceStore } from '../store/presence-store';
import type { ContactNotifier, ContactPolicy, Encounters } from './ports';
import { contactView, defaultNickname, toMinute, type PeerView } from './views';

const DAY_MS = 86_400_000;
/** How long a pending offer is kept: a long chat, then the offer window. */
const OFFER_TTL_MS = DAY_MS;
/** Users whose grace ended handled per upkeep pass. */
const EXPIRE_BATCH = 200;

export interface ContactServiceDeps {
  store: ContactsStore;
  presence: PresenceStore;
  encounters: Encounters;
  clock: Clock;
  notifier: ContactNotifier;
  /** A fresh random id (contact ids, pair ids): never derived from a user id. */
  newId: () => string;
  nodeId: string;
}

/** How a presence state looks to contacts (of a user who does not appear offline). */
function shownAs(state: PresenceState): ContactPresence {
  return state === 'live' ? 'online' : state === 'away' ? 'away' : 'offline';
}

export class ContactService {
  constructor(
    private readonly deps: ContactServiceDeps,
    private readonly policy: ContactPolicy,
  ) {}

  /** Asks to keep in touch with the partner of the current or just-ended chat. */
  async keepInTouch(userId: string): Promise<KeepInTouchState> {
    const { store, presence, encounters, clock, notifier, newId } = this.deps;
    const now = clock.now();
    const chat = await encounters.lastChat(userId);
    if (!chat) throw new ClientError('NOT_IN_CHAT', 'There is no chat partner to keep in touch with.');
    if (chat.endedAt !== null && now - chat.endedAt > this.policy.contactOfferMs) {
      throw new ClientError('NOT_ALLOWED', 'That chat ended too long ago.');
    }
    const partnerId = chat.partnerId;
    if ((await encounters.blocked(userId, partnerId)) || (await store.isDeleted(partnerId))) throw new ClientError('NOT_ALLOWED');
    if (await store.findByPeer(userId, partnerId)) return 'connected';
    const offer = await presence.offer(chat.roomId, userId, partnerId, OFFER_TTL_MS + this.policy.contactOfferMs, now);
    if (!offer.mutual) {
      if (offer.added) notifier.offered(partnerId, { roomId: chat.roomId });
      return 'offered';
    }
    const nickname = defaultNickname(chat.endedAt ?? now);
    const pair = await store.createPair(
      { ownerId: userId, contactId: newId(), nickname },
      { ownerId: partnerId, contactId: newId(), nickname },
      newId(),
      now,
      this.policy.contactsMax,
    );
    if (!pair.ok) throw new ClientError('TOO_MANY_CONTACTS');
    if (pair.created) {
      const peers = await this.peerViews([userId, partnerId]);
      notifier.added(userId, { contact: contactView(pair.a, peers.get(partnerId)!, undefined) });
      notifier.added(partnerId, { contact: contactView(pair.b, peers.get(userId)!, undefined) });
    }
    return 'connected';
  }

  async list(userId: string): Promise<Contact[]> {
    const { store, clock } = this.deps;
    const contacts = await store.list(userId);
    if (contacts.length === 0) return [];
    const [peers, summaries] = await Promise.all([
      this.peerViews(contacts.map((c) => c.peerId)),
      store.summaries(userId, clock.now() - this.policy.dmRetentionDays * DAY_MS),
    ]);
    return contacts.map((c) => contactView(c, peers.get(c.peerId)!, summaries.get(c.pairId)));
  }

  /** The user's contact, or CONTACT_NOT_FOUND. */
  async require(userId: string, contactId: string): Promise<ContactRecord> {
    const contact = await this.deps.store.get(userId, contactId);
    if (!contact) throw new ClientError('CONTACT_NOT_FOUND');
    return contact;
  }

  async rename(userId: string, contactId: string, nickname: string): Promise<void> {
    if (!(await this.deps.store.rename(userId, contactId, nickname))) throw new ClientError('CONTACT_NOT_FOUND');
  }

  /** Deletes the contact on both sides (and the conversation); the other side hears it with its own id. */
  async remove(userId: string, contactId: string): Promise<ContactRecord> {
    const removed = await this.deps.store.remove(userId, contactId);
    if (!removed) throw new ClientError('CONTACT_NOT_FOUND');
    this.deps.notifier.removed(removed.peerId, { contactId: removed.peerContactId });
    return removed;
  }

  /** Removes the contact and blocks matching with it both ways. */
  async block(userId: string, contactId: string): Promise<void> {
    const removed = await this.remove(userId, contactId);
    await this.deps.encounters.block(userId, removed.peerId);
  }

  /** Hides (or shows again) the user's presence; contacts see it go offline (or come back) at once. */
  async setAppearOffline(userId: string, appearOffline: boolean): Promise<void> {
    const { store, presence, clock } = this.deps;
    const before = await store.settings(userId);
    if (appearOffline && !before.appearOffline) await store.setLastSeen(userId, toMinute(clock.now()));
    await store.setAppearOffline(userId, appearOffline);
    if (before.appearOffline === appearOffline) return;
    const [state] = await presence.present([userId]);
    if (state !== 'absent') this.announce(userId, await store.list(userId), appearOffline ? 'offline' : shownAs(state!));
  }

  /** A connection of the user opened; its contacts hear it is online unless it already was. */
  async connected(userId: string, sid: string): Promise<void> {
    if ((await this.deps.presence.connect(userId, sid, this.deps.nodeId)) === 'live') return;
    await this.arrivedOrLeft(userId, 'online');
  }

  /**
   * A connection closed: the user stays present for the resume grace, and its
   * contacts hear it is away (so nobody writes on as if it were still there).
   */
  async disconnected(userId: string, sid: string): Promise<void> {
    const until = this.deps.clock.now() + this.policy.resumeGraceMs;
    const scheduled = await this.deps.presence.disconnect(userId, sid, this.deps.nodeId, until);
    if (this.policy.resumeGraceMs === 0) await this.expire();
    else if (scheduled) await this.arrivedOrLeft(userId, 'away');
  }

  /** Ends the presence of users whose grace is over; run by the upkeep of every node. */
  async expire(): Promise<number> {
    const gone = await this.deps.presence.expire(this.deps.clock.now(), EXPIRE_BATCH);
    for (const userId of gone) await this.arrivedOrLeft(userId, 'offline');
    return gone.length;
  }

  /** The users of a dead node enter their grace. */
  async sweepNode(nodeId: string): Promise<void> {
    await this.deps.presence.sweepNode(nodeId, this.deps.clock.now() + this.policy.resumeGraceMs);
  }

  /** Deletes everything stored for the identity; its contacts hear the contact is gone. */
  async deleteIdentity(userId: string): Promise<void> {
    const removed = await this.deps.store.deleteUser(userId, this.deps.clock.now());
    await this.deps.presence.forget(userId);
    for (const c of removed) this.deps.notifier.removed(c.peerId, { contactId: c.peerContactId });
  }

  isDeleted(userId: string): Promise<boolean> {
    return this.deps.store.isDeleted(userId);
  }

  /**
   * Tells the user's contacts it arrived or left. What they hear is its
   * presence as it is once the slow reads are done, not as it was when the
   * change began: a connection that closes while the user's next one opens
   * elsewhere (a blip) may start its "away" first and finish it last, and must
   * not leave the contacts seeing away while the user is back.
   */
  private async arrivedOrLeft(userId: string, state: ContactPresence): Promise<void> {
    const { store, clock, presence } = this.deps;
    // Only users with contacts leave a trace (last seen); others are not stored at all.
    const contacts = await store.list(userId);
    if (contacts.length === 0) return;
    const settings = await store.settings(userId);
    if (settings.appearOffline) return;
    await store.setLastSeen(userId, toMinute(clock.now()));
    const [now] = state === 'offline' ? ['absent' as const] : await presence.present([userId]);
    this.announce(userId, contacts, now === 'absent' ? state : shownAs(now!));
  }

  private announce(_userId: string, contacts: readonly ContactRecord[], state: ContactPresence): void {
    const online = state === 'online';
    for (const c of contacts) this.deps.notifier.presence(c.peerId, { contactId: c.peerContactId, online, state });
  }

  /** How each user looks to its contacts now. */
  private async peerViews(userIds: readonly string[]): Promise<Map<string, PeerView>> {
    const [present, settings] = await Promise.all([this.deps.presence.present(userIds), this.deps.store.settingsOf(userIds)]);
    const now = toMinute(this.deps.clock.now());
    return new Map(
      userIds.map((id, i) => {
        const s = settings.get(id)!;
        const state: ContactPresence = s.appearOffline ? 'offline' : shownAs(present[i]!);
        return [id, { state, lastSeenAt: state === 'online' ? now : s.lastSeenAt }];
      }),
    );
  }
}
