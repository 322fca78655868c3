/**
 * Contacts and direct messages in the single node's memory: lost on restart,
 * and bounded — each conversation keeps its newest DMS_PER_PAIR messages,
 * each user at most its CONTACTS_MAX contacts, and at most TOMBSTONES
 * deleted identities are remembered (the oldest are forgotten first).
 */
import type {
  ContactRecord,
  ContactsStore,
  ContactSummary,
  CreatePairResult,
  DmPage,
  DmPageQuery,
  DmStream,
  InsertedDm,
  NewContact,
  NewDm,
  StoredDm,
  UserSettings,
} from '../contacts-store';

/** Messages one conversation keeps in memory. */
export const DMS_PER_PAIR = 1000;
/** Deleted identities remembered in memory. */
export const TOMBSTONES = 100_000;

export class MemoryContactsStore implements ContactsStore {
  /** owner id → contact id → record. */
  private readonly contacts = new Map<string, Map<string, ContactRecord>>();
  private readonly dms = new Map<string, StoredDm[]>();
  /** Each pair's stream: its epoch, last stream seq and recent sends by "<sender>\n<clientId>". */
  private readonly streams = new Map<string, { epoch: string; lastSeq: number; sent: Map<string, StoredDm> }>();
  private readonly userSettings = new Map<string, UserSettings>();
  private readonly tombstones = new Set<string>();
  private seq = 0;

  async createPair(a: NewContact, b: NewContact, pairId: string, now: number, max: number): Promise<CreatePairResult> {
    const existing = this.byPeer(a.ownerId, b.ownerId);
    if (existing) return { ok: true, created: false, a: { ...existing }, b: { ...this.byPeer(b.ownerId, a.ownerId)! } };
    if (this.owned(a.ownerId).size >= max || this.owned(b.ownerId).size >= max) return { ok: false, reason: 'too-many' };
    const side = (own: NewContact, peer: NewContact): ContactRecord => ({
      contactId: own.contactId,
      ownerId: own.ownerId,
      peerId: peer.ownerId,
      peerContactId: peer.contactId,
      pairId,
      nickname: own.nickname,
      createdAt: now,
    });
    const ra = side(a, b);
    const rb = side(b, a);
    this.owned(a.ownerId).set(ra.contactId, ra);
    this.owned(b.ownerId).set(rb.contactId, rb);
    return { ok: true, created: true, a: { ...ra }, b: { ...rb } };
  }

  async list(ownerId: string): Promise<ContactRecord[]> {
    return [...(this.contacts.get(ownerId)?.values() ?? [])].map((c) => ({ ...c }));
  }

  async get(ownerId: string, contactId: string): Promise<ContactRecord | null> {
    const c = this.contacts.get(ownerId)?.get(contactId);
    return c ? { ...c } : null;
  }

  async findByPeer(ownerId: string, peerId: string): Promise<ContactRecord | null> {
    const c = this.byPeer(ownerId, peerId);
    return c ? { ...c } : null;
  }

  async rename(ownerId: string, contactId: string, nickname: string): Promise<boolean> {
    const c = this.contacts.get(ownerId)?.get(contactId);
    if (!c) return false;
    c.nickname = nickname;
    return true;
  }

  async remove(ownerId: string, contactId: string): Promise<ContactRecord | null> {
    const c = this.contacts.get(ownerId)?.get(contactId);
    if (!c) return null;
    this.drop(c);
    return { ...c };
  }

  async insertDm({ clientId, ...dm }: NewDm, newEpoch: () => string): Promise<InsertedDm> {
    let stream = this.streams.get(dm.pairId);
    if (!stream) this.streams.set(dm.pairId, (stream = { epoch: newEpoch(), lastSeq: 0, sent: new Map() }));
    const earlier = clientId ? stream.sent.get(`${dm.from}\n${clientId}`) : undefined;
    if (earlier) return { dm: { ...earlier }, epoch: stream.epoch, duplicate: true };
    const stored: StoredDm = { ...dm, seq: ++this.seq, streamSeq: ++stream.lastSeq, readAt: null };
    let list = this.dms.get(dm.pairId);
    if (!list) this.dms.set(dm.pairId, (list = []));
    list.push(stored);
    if (list.length > DMS_PER_PAIR) list.splice(0, list.length - DMS_PER_PAIR);
    if (clientId) {
      stream.sent.set(`${dm.from}\n${clientId}`, stored);
      // As bounded as the conversation: the oldest ids go with the messages.
      if (stream.sent.size > DMS_PER_PAIR) stream.sent.delete(stream.sent.keys().next().value!);
    }
    return { dm: { ...stored }, epoch: stream.epoch, duplicate: false };
  }

  async dmsAfter(pairId: string, afterSeq: number, limit: number, notBefore: number): Promise<DmStream> {
    const stream = this.streams.get(pairId);
    const after = (this.dms.get(pairId) ?? []).filter((m) => m.streamSeq > afterSeq && m.sentAt >= notBefore);
    return { epoch: stream?.epoch ?? '', lastSeq: stream?.lastSeq ?? 0, messages: after.slice(0, limit).map((m) => ({ ...m })) };
  }

  async dmPage(pairId: string, query: DmPageQuery): Promise<DmPage> {
    const list = (this.dms.get(pairId) ?? []).filter((m) => m.sentAt >= query.notBefore);
    let end = list.length;
    if (query.before !== undefined) {
      end = list.findIndex((m) => m.id === query.before);
      if (end < 0) return { messages: [], hasMore: false };
    }
    const start = Math.max(0, end - query.limit);
    return { messages: list.slice(start, end).map((m) => ({ ...m })), hasMore: start > 0 };
  }

  async markRead(pairId: string, readerId: string, upTo: string, now: number): Promise<number> {
    const list = this.dms.get(pairId) ?? [];
    const last = list.findIndex((m) => m.id === upTo);
    let changed = 0;
    for (let i = 0; i <= last; i++) {
      const m = list[i]!;
      if (m.to === readerId && m.readAt === null) {
        m.readAt = now;
        changed++;
      }
    }
    return changed;
  }

  async summaries(ownerId: string, notBefore: number): Promise<Map<string, ContactSummary>> {
    const out = new Map<string, ContactSummary>();
    for (const c of this.contacts.get(ownerId)?.values() ?? []) {
      const list = (this.dms.get(c.pairId) ?? []).filter((m) => m.sentAt >= notBefore);
      const unread = list.filter((m) => m.to === ownerId && m.readAt === null).length;
      const last = list[list.length - 1];
      out.set(c.pairId, last ? { unread, last: { ...last } } : { unread });
    }
    return out;
  }

  async purgeDms(olderThan: number): Promise<number> {
    let purged = 0;
    for (const [pairId, list] of this.dms) {
      const kept = list.filter((m) => m.sentAt >= olderThan);
      purged += list.length - kept.length;
      if (kept.length === 0) this.dms.delete(pairId);
      else this.dms.set(pairId, kept);
    }
    return purged;
  }

  async settings(userId: string): Promise<UserSettings> {
    return { ...(this.userSettings.get(userId) ?? { appearOffline: false, lastSeenAt: null }) };
  }

  async settingsOf(userIds: readonly string[]): Promise<Map<string, UserSettings>> {
    return new Map(await Promise.all(userIds.map(async (id) => [id, await this.settings(id)] as const)));
  }

  async setAppearOffline(userId: string, appearOffline: boolean): Promise<void> {
    this.userSettings.set(userId, { ...(await this.settings(userId)), appearOffline });
  }

  async setLastSeen(userId: string, at: number): Promise<void> {
    this.userSettings.set(userId, { ...(await this.settings(userId)), lastSeenAt: at });
  }

  async deleteUser(userId: string, _now: number): Promise<ContactRecord[]> {
    const removed = await this.list(userId);
    for (const c of removed) this.drop(c);
    this.contacts.delete(userId);
    this.userSettings.delete(userId);
    this.tombstones.add(userId);
    if (this.tombstones.size > TOMBSTONES) this.tombstones.delete(this.tombstones.values().next().value!);
    return removed;
  }

  async isDeleted(userId: string): Promise<boolean> {
    return this.tombstones.has(userId);
  }

  private owned(ownerId: string): Map<string, ContactRecord> {
    let m = this.contacts.get(ownerId);
    if (!m) this.contacts.set(ownerId, (m = new Map()));
    return m;
  }

  private byPeer(ownerId: string, peerId: string): ContactRecord | undefined {
    for (const c of this.contacts.get(ownerId)?.values() ?? []) if (c.peerId === peerId) return c;
    return undefined;
  }

  private drop(c: ContactRecord): void {
    this.contacts.get(c.ownerId)?.delete(c.contactId);
    this.contacts.get(c.peerId)?.delete(c.peerContactId);
    if (this.contacts.get(c.ownerId)?.size === 0) this.contacts.delete(c.ownerId);
    if (this.contacts.get(c.peerId)?.size === 0) this.contacts.delete(c.peerId);
    this.dms.delete(c.pairId);
    this.streams.delete(c.pairId);
  }
}
