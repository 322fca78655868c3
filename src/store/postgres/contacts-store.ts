/**
 * Contacts, direct messages and per-identity settings in PostgreSQL. Every
 * query is named and parameterised; steps that check then change run in one
 * transaction, serialised per user by transaction-scoped advisory locks.
 */
import type { Pool, PoolClient } from 'pg';
import { guarded, inTransaction } from './transaction';
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

const CONTACT_COLUMNS = `c.contact_id, c.owner_id, c.peer_id, c.pair_id, c.nickname, c.created_at, p.contact_id AS peer_contact_id`;
const CONTACT_FROM = `contacts c JOIN contacts p ON p.pair_id = c.pair_id AND p.owner_id = c.peer_id`;
const DM_COLUMNS = `seq, stream_seq, id, pair_id, sender_id, recipient_id, text, reply_to, sent_at, read_at`;

const QUERIES = {
  lockUsers: `SELECT pg_advisory_xact_lock(hashtextextended('parley:contacts:' || u, 0)) FROM unnest($1::text[]) AS u ORDER BY u`,
  countOwned: `SELECT owner_id, count(*)::int AS n FROM contacts WHERE owner_id = ANY($1::text[]) GROUP BY owner_id`,
  insertContacts: `INSERT INTO contacts (contact_id, owner_id, peer_id, pair_id, nickname, created_at)
    VALUES ($1, $2, $3, $7, $4, $8), ($5, $3, $2, $7, $6, $8)`,
  list: `SELECT ${CONTACT_COLUMNS} FROM ${CONTACT_FROM} WHERE c.owner_id = $1 ORDER BY c.created_at, c.contact_id`,
  get: `SELECT ${CONTACT_COLUMNS} FROM ${CONTACT_FROM} WHERE c.owner_id = $1 AND c.contact_id = $2`,
  findByPeer: `SELECT ${CONTACT_COLUMNS} FROM ${CONTACT_FROM} WHERE c.owner_id = $1 AND c.peer_id = $2`,
  rename: `UPDATE contacts SET nickname = $3 WHERE owner_id = $1 AND contact_id = $2`,
  deletePair: `DELETE FROM contacts WHERE pair_id = $1`,
  deletePairDms: `DELETE FROM direct_messages WHERE pair_id = $1`,
  // The pair's next stream seq and the message in one statement: both or neither.
  insertDm: `WITH s AS (
      INSERT INTO dm_streams (pair_id, last_seq, epoch) VALUES ($2, 1, $8)
      ON CONFLICT (pair_id) DO UPDATE SET last_seq = dm_streams.last_seq + 1
      RETURNING last_seq, epoch
    )
    INSERT INTO direct_messages (id, pair_id, sender_id, recipient_id, text, reply_to, sent_at, stream_seq, client_id)
    SELECT $1, $2, $3, $4, $5, $6, $7, s.last_seq, $9 FROM s
    RETURNING seq, stream_seq, (SELECT epoch FROM s)`,
  sentBefore: `SELECT ${DM_COLUMNS}, (SELECT epoch FROM dm_streams WHERE pair_id = $1) AS epoch FROM direct_messages
    WHERE pair_id = $1 AND sender_id = $2 AND client_id = $3`,
  dmsAfter: `SELECT ${DM_COLUMNS} FROM direct_messages
    WHERE pair_id = $1 AND stream_seq > $2 AND sent_at >= $3 ORDER BY stream_seq LIMIT $4`,
  dmStream: `SELECT last_seq, epoch FROM dm_streams WHERE pair_id = $1`,
  deleteStream: `DELETE FROM dm_streams WHERE pair_id = ANY($1::text[])`,
  seqOf: `SELECT seq FROM direct_messages WHERE pair_id = $1 AND id = $2`,
  dmPage: `SELECT ${DM_COLUMNS} FROM direct_messages
    WHERE pair_id = $1 AND seq < $2 AND sent_at >= $3 ORDER BY seq DESC LIMIT $4`,
  markRead: `UPDATE direct_messages SET read_at = $4
    WHERE pair_id = $1 AND recipient_id = $2 AND read_at IS NULL AND seq <= $3`,
  unread: `SELECT pair_id, count(*)::int AS n FROM direct_messages
    WHERE recipient_id = $1 AND read_at IS NULL AND sent_at >= $2 GROUP BY pair_id`,
  // One index probe per contact (pair_id, seq) rather than a scan of every message.
  lastMessages: `SELECT d.* FROM contacts c CROSS JOIN LATERAL (
      SELECT ${DM_COLUMNS} FROM direct_messages
      WHERE pair_id = c.pair_id AND sent_at >= $2 ORDER BY seq DESC LIMIT 1
    ) d WHERE c.owner_id = $1`,
  purge: `DELETE FROM direct_messages WHERE sent_at < $1`,
  settings: `SELECT appear_offline, last_seen_at FROM contact_settings WHERE user_id = $1`,
  settingsOf: `SELECT user_id, appear_offline, last_seen_at FROM contact_settings WHERE user_id = ANY($1::text[])`,
  setAppearOffline: `INSERT INTO contact_settings (user_id, appear_offline) VALUES ($1, $2)
    ON CONFLICT (user_id) DO UPDATE SET appear_offline = EXCLUDED.appear_offline`,
  setLastSeen: `INSERT INTO contact_settings (user_id, last_seen_at) VALUES ($1, $2)
    ON CONFLICT (user_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
  pairsOf: `SELECT pair_id FROM contacts WHERE owner_id = $1`,
  deletePairs: `DELETE FROM contacts WHERE pair_id = ANY($1::text[])`,
  deletePairsDms: `DELETE FROM direct_messages WHERE pair_id = ANY($1::text[])`,
  deleteSettings: `DELETE FROM contact_settings WHERE user_id = $1`,
  tombstone: `INSERT INTO deleted_identities (user_id, deleted_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`,
  isDeleted: `SELECT 1 FROM deleted_identities WHERE user_id = $1`,
} as const;

type Name = keyof typeof QUERIES;
/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';
const named = (name: Name, values: unknown[]) => ({ name: `parley-contacts-${name}`, text: QUERIES[name], values });

interface ContactRow {
  contact_id: string;
  owner_id: string;
  peer_id: string;
  pair_id: string;
  nickname: string;
  created_at: string;
  peer_contact_id: string;
}

interface DmRow {
  seq: string;
  stream_seq: string;
  id: string;
  pair_id: string;
  sender_id: string;
  recipient_id: string;
  text: string;
  reply_to: string | null;
  sent_at: string;
  read_at: string | null;
}

const toContact = (r: ContactRow): ContactRecord => ({
  contactId: r.contact_id,
  ownerId: r.owner_id,
  peerId: r.peer_id,
  peerContactId: r.peer_contact_id,
  pairId: r.pair_id,
  nickname: r.nickname,
  createdAt: Number(r.created_at),
});

function toDm(r: DmRow): StoredDm {
  const dm: StoredDm = {
    seq: Number(r.seq),
    streamSeq: Number(r.stream_seq),
    id: r.id,
    pairId: r.pair_id,
    from: r.sender_id,
    to: r.recipient_id,
    text: r.text,
    sentAt: Number(r.sent_at),
    readAt: r.read_at === null ? null : Number(r.read_at),
  };
  if (r.reply_to !== null) dm.replyTo = r.reply_to;
  return dm;
}

export function createPostgresContactsStore(pool: Pool): ContactsStore {
  return guarded(createStore(pool));
}

function createStore(pool: Pool): ContactsStore {
  const one = async (name: 'get' | 'findByPeer', values: unknown[], client: Pool | PoolClient = pool) => {
    const { rows } = await client.query<ContactRow>(named(name, values));
    return rows[0] ? toContact(rows[0]) : null;
  };

  const list = async (ownerId: string): Promise<ContactRecord[]> => {
    const { rows } = await pool.query<ContactRow>(named('list', [ownerId]));
    return rows.map(toContact);
  };

  return {
    createPair: (a: NewContact, b: NewContact, pairId: string, now: number, max: number): Promise<CreatePairResult> =>
      inTransaction(pool, async (client) => {
        await client.query(named('lockUsers', [[a.ownerId, b.ownerId]]));
        const existing = await one('findByPeer', [a.ownerId, b.ownerId], client);
        if (existing) {
          const other = await one('findByPeer', [b.ownerId, a.ownerId], client);
          return { ok: true, created: false, a: existing, b: other! };
        }
        const { rows } = await client.query<{ owner_id: string; n: number }>(named('countOwned', [[a.ownerId, b.ownerId]]));
        if (rows.some((r) => r.n >= max)) return { ok: false, reason: 'too-many' };
        await client.query(named('insertContacts', [a.contactId, a.ownerId, b.ownerId, a.nickname, b.contactId, b.nickname, pairId, now]));
        const side = (own: NewContact, peer: NewContact): ContactRecord => ({
          contactId: own.contactId,
          ownerId: own.ownerId,
          peerId: peer.ownerId,
          peerContactId: peer.contactId,
          pairId,
          nickname: own.nickname,
          createdAt: now,
        });
        return { ok: true, created: true, a: side(a, b), b: side(b, a) };
      }),

    list,
    get: (ownerId, contactId) => one('get', [ownerId, contactId]),
    findByPeer: (ownerId, peerId) => one('findByPeer', [ownerId, peerId]),
    async rename(ownerId, contactId, nickname) {
      return ((await pool.query(named('rename', [ownerId, contactId, nickname]))).rowCount ?? 0) > 0;
    },
    remove: (ownerId, contactId) =>
      inTransaction(pool, async (client) => {
        const c = await one('get', [ownerId, contactId], client);
        if (!c) return null;
        await client.query(named('deletePairDms', [c.pairId]));
        await client.query(named('deletePair', [c.pairId]));
        await client.query(named('deleteStream', [[c.pairId]]));
        return c;
      }),

    async insertDm({ clientId, ...dm }: NewDm, newEpoch: () => string): Promise<InsertedDm> {
      const earlier = async (): Promise<InsertedDm | null> => {
        if (clientId === undefined) return null;
        const { rows } = await pool.query<DmRow & { epoch: string }>(named('sentBefore', [dm.pairId, dm.from, clientId]));
        return rows[0] ? { dm: toDm(rows[0]), epoch: rows[0].epoch, duplicate: true } : null;
      };
      // A retry finds its first send; two at once meet at the unique index.
      const found = await earlier();
      if (found) return found;
      const values = [dm.id, dm.pairId, dm.from, dm.to, dm.text, dm.replyTo ?? null, dm.sentAt, newEpoch(), clientId ?? null];
      try {
        const { rows } = await pool.query<{ seq: string; stream_seq: string; epoch: string }>(named('insertDm', values));
        const r = rows[0]!;
        return { dm: { ...dm, seq: Number(r.seq), streamSeq: Number(r.stream_seq), readAt: null }, epoch: r.epoch, duplicate: false };
      } catch (err) {
        const again = (err as { code?: string }).code === UNIQUE_VIOLATION ? await earlier() : null;
        if (again) return again;
        throw err;
      }
    },
    async dmsAfter(pairId, afterSeq, limit, notBefore): Promise<DmStream> {
      const [stream, after] = await Promise.all([
        pool.query<{ last_seq: string; epoch: string }>(named('dmStream', [pairId])),
        pool.query<DmRow>(named('dmsAfter', [pairId, afterSeq, notBefore, limit])),
      ]);
      const s = stream.rows[0];
      return { epoch: s?.epoch ?? '', lastSeq: s ? Number(s.last_seq) : 0, messages: after.rows.map(toDm) };
    },
    async dmPage(pairId, query: DmPageQuery): Promise<DmPage> {
      let before = Number.MAX_SAFE_INTEGER;
      if (query.before !== undefined) {
        const { rows } = await pool.query<{ seq: string }>(named('seqOf', [pairId, query.before]));
        if (!rows[0]) return { messages: [], hasMore: false };
        before = Number(rows[0].seq);
      }
      const { rows } = await pool.query<DmRow>(named('dmPage', [pairId, before, query.notBefore, query.limit + 1]));
      return { messages: rows.slice(0, query.limit).map(toDm).reverse(), hasMore: rows.length > query.limit };
    },
    async markRead(pairId, readerId, upTo, now) {
      const { rows } = await pool.query<{ seq: string }>(named('seqOf', [pairId, upTo]));
      if (!rows[0]) return 0;
      return (await pool.query(named('markRead', [pairId, readerId, rows[0].seq, now]))).rowCount ?? 0;
    },
    async summaries(ownerId, notBefore) {
      const [unread, last] = await Promise.all([
        pool.query<{ pair_id: string; n: number }>(named('unread', [ownerId, notBefore])),
        pool.query<DmRow>(named('lastMessages', [ownerId, notBefore])),
      ]);
      const out = new Map<string, ContactSummary>();
      for (const c of await list(ownerId)) out.set(c.pairId, { unread: 0 });
      for (const r of unread.rows) if (out.has(r.pair_id)) out.get(r.pair_id)!.unread = r.n;
      for (const r of last.rows) if (out.has(r.pair_id)) out.get(r.pair_id)!.last = toDm(r);
      return out;
    },
    async purgeDms(olderThan) {
      return (await pool.query(named('purge', [olderThan]))).rowCount ?? 0;
    },

    async settings(userId): Promise<UserSettings> {
      const { rows } = await pool.query<{ appear_offline: boolean; last_seen_at: string | null }>(named('settings', [userId]));
      const r = rows[0];
      return { appearOffline: r?.appear_offline ?? false, lastSeenAt: r?.last_seen_at != null ? Number(r.last_seen_at) : null };
    },
    async settingsOf(userIds) {
      const out = new Map<string, UserSettings>(userIds.map((id) => [id, { appearOffline: false, lastSeenAt: null }]));
      const { rows } = await pool.query<{ user_id: string; appear_offline: boolean; last_seen_at: string | null }>(
        named('settingsOf', [userIds]),
      );
      for (const r of rows) out.set(r.user_id, { appearOffline: r.appear_offline, lastSeenAt: r.last_seen_at !== null ? Number(r.last_seen_at) : null });
      return out;
    },
    async setAppearOffline(userId, appearOffline) {
      await pool.query(named('setAppearOffline', [userId, appearOffline]));
    },
    async setLastSeen(userId, at) {
      await pool.query(named('setLastSeen', [userId, at]));
    },

    deleteUser: (userId, now) =>
      inTransaction(pool, async (client) => {
        await client.query(named('lockUsers', [[userId]]));
        const { rows } = await client.query<ContactRow>(named('list', [userId]));
        const pairs = rows.map((r) => r.pair_id);
        await client.query(named('deletePairsDms', [pairs]));
        await client.query(named('deletePairs', [pairs]));
        await client.query(named('deleteStream', [pairs]));
        await client.query(named('deleteSettings', [userId]));
        await client.query(named('tombstone', [userId, now]));
        return rows.map(toContact);
      }),
    async isDeleted(userId) {
      return ((await pool.query(named('isDeleted', [userId]))).rowCount ?? 0) > 0;
    },
  };
}
