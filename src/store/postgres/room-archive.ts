/**
 * Rooms and their messages in PostgreSQL: the archiver's sink and the history
 * older than the recent window. Every query is named and parameterised.
 */
import type { Pool, PoolClient } from 'pg';
import type { RoomArchive, RoomModeration, SavedRooms } from '../room-archive';
import type { RoomEvent } from '../room-outbox';
import type { HistoryPage, HistoryQuery, PinRecord, Reactions, RoomHistory, RoomRecord, StoredRoomMessage } from '../rooms-store';
import { inTransaction } from './transaction';

const QUERIES = {
  insertRoom: `INSERT INTO rooms (code, title, topic, visibility, host_id, created_at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
  insertMessages: `INSERT INTO room_messages (room_code, seq, id, sender_id, name, text, sent_at, reply_to, kind, edited_at, mentions)
    SELECT c, s, i, f, n, t, a, r, k, e, m::jsonb
    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::text[])
      AS u(c, s, i, f, n, t, a, r, k, e, m)
    ON CONFLICT (room_code, seq) DO NOTHING`,
  // An edit written twice, or after a later one, changes nothing.
  editMessage: `UPDATE room_messages SET text = $3, edited_at = $4, mentions = $5::jsonb
    WHERE room_code = $1 AND seq = $2 AND NOT deleted AND (edited_at IS NULL OR edited_at <= $4)`,
  // A deleted message keeps its row (seqs stay gapless) but not its words, mentions, reactions or pin.
  deleteMessage: `UPDATE room_messages SET deleted = true, text = '', name = '', mentions = NULL WHERE room_code = $1 AND seq = $2`,
  deleteReactions: `DELETE FROM room_reactions WHERE room_code = $1 AND seq = $2`,
  pin: `INSERT INTO room_pins (room_code, seq, until, pinned_at, pinned_by, name, text) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (room_code, seq) DO UPDATE SET until = $3, pinned_at = $4, pinned_by = $5, name = $6, text = $7`,
  unpin: `DELETE FROM room_pins WHERE room_code = $1 AND seq = $2`,
  react: `INSERT INTO room_reactions (room_code, seq, emoji, user_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
  unreact: `DELETE FROM room_reactions WHERE room_code = $1 AND seq = $2 AND emoji = $3 AND user_id = $4`,
  reactions: `SELECT seq, emoji, user_id FROM room_reactions WHERE room_code = $1 AND seq = ANY($2::bigint[]) ORDER BY n`,
  savedRoom: `SELECT code, title, topic, visibility, host_id, created_at,
    (SELECT coalesce(max(seq), 0) FROM room_messages WHERE room_code = $1) AS last_seq,
    (SELECT coalesce(max(sent_at), 0) FROM room_messages WHERE room_code = $1) AS last_sent FROM rooms WHERE code = $1`,
  pins: `SELECT seq, until, pinned_at, pinned_by, name, text FROM room_pins
    WHERE room_code = $1 AND (until IS NULL OR until > $2) ORDER BY pinned_at, seq`,
  // Reactions and pins of messages retention removed, and pins that ended before the cutoff.
  purgeReactions: `DELETE FROM room_reactions WHERE ctid IN (SELECT r.ctid FROM room_reactions r
    WHERE NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = r.room_code AND m.seq = r.seq) LIMIT $1)`,
  purgePins: `DELETE FROM room_pins p WHERE until <= $1
    OR NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = p.room_code AND m.seq = p.seq)`,
  // Retention, in bounded batches so no statement holds many locks for long.
  purgeMessages: `DELETE FROM room_messages WHERE ctid IN (SELECT ctid FROM room_messages WHERE sent_at < $1 LIMIT $2)`,
  purgeRooms: `DELETE FROM rooms r WHERE created_at < $1
    AND NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = r.code)`,
  // Mutes that ended before the retention cutoff are of no use to anyone.
  purgeMutes: `DELETE FROM room_mutes WHERE until < $1`,
  // Read positions in rooms that are gone, not moved since the cutoff (a room's row may still be on its way).
  purgeReads: `DELETE FROM room_reads x WHERE x.updated_at < $1
    AND NOT EXISTS (SELECT 1 FROM rooms r WHERE r.code = x.room_code)`,
  // An operator removed the room: its messages and row go at once.
  removeMessages: `DELETE FROM room_messages WHERE room_code = $1`,
  removeReactions: `DELETE FROM room_reactions WHERE room_code = $1`,
  removePins: `DELETE FROM room_pins WHERE room_code = $1`,
  removeRoom: `DELETE FROM rooms WHERE code = $1`,
  removeRoles: `DELETE FROM room_roles WHERE room_code = $1`,
  removeMutes: `DELETE FROM room_mutes WHERE room_code = $1`,
  removeSettings: `DELETE FROM room_settings WHERE room_code = $1`,
  removeReads: `DELETE FROM room_reads WHERE room_code = $1`,
  setRole: `INSERT INTO room_roles (room_code, user_id, role) VALUES ($1, $2, $3)
    ON CONFLICT (room_code, user_id) DO UPDATE SET role = EXCLUDED.role`,
  clearRole: `DELETE FROM room_roles WHERE room_code = $1 AND user_id = $2`,
  setMute: `INSERT INTO room_mutes (room_code, user_id, until) VALUES ($1, $2, $3)
    ON CONFLICT (room_code, user_id) DO UPDATE SET until = EXCLUDED.until`,
  clearMute: `DELETE FROM room_mutes WHERE room_code = $1 AND user_id = $2`,
  setSettings: `INSERT INTO room_settings (room_code, slow_mode_s, description, rules) VALUES ($1, $2, $3, $4)
    ON CONFLICT (room_code) DO UPDATE SET slow_mode_s = EXCLUDED.slow_mode_s, description = EXCLUDED.description, rules = EXCLUDED.rules`,
  roles: `SELECT user_id, role FROM room_roles WHERE room_code = $1`,
  mutes: `SELECT user_id, until FROM room_mutes WHERE room_code = $1 AND until > $2`,
  settings: `SELECT slow_mode_s, description, rules FROM room_settings WHERE room_code = $1`,
  historyPage: `SELECT seq, id, sender_id, name, text, sent_at, reply_to, kind, edited_at, mentions FROM room_messages
    WHERE room_code = $1 AND seq < $2 AND sent_at >= $3 AND NOT deleted
    ORDER BY seq DESC LIMIT $4`,
} as const;

type Name = keyof typeof QUERIES;
const named = (name: Name, values: unknown[]) => ({ name: `parley-${name}`, text: QUERIES[name], values });

interface MessageRow {
  seq: string;
  id: string;
  sender_id: string;
  name: string;
  text: string;
  sent_at: string;
  reply_to: string | null;
  kind: string;
  edited_at: string | null;
  mentions: string[] | null;
}

function toMessage(row: MessageRow): StoredRoomMessage {
  const message: StoredRoomMessage = {
    seq: Number(row.seq),
    id: row.id,
    from: row.sender_id,
    name: row.name,
    text: row.text,
    sentAt: Number(row.sent_at),
  };
  if (row.reply_to !== null) message.replyTo = Number(row.reply_to);
  if (row.kind === 'host' || row.kind === 'system') message.kind = row.kind;
  if (row.edited_at !== null) message.editedAt = Number(row.edited_at);
  if (row.mentions?.length) message.mentions = row.mentions;
  return message;
}

type MessageEvent = Extract<RoomEvent, { kind: 'message' }>;

const mentionsJson = (mentions: readonly string[] | undefined): string | null => (mentions?.length ? JSON.stringify(mentions) : null);

/** The columns of a run of messages, as arrays PostgreSQL unnests; null for an empty run. */
function messageColumns(run: readonly MessageEvent[]): unknown[][] | null {
  if (run.length === 0) return null;
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], [], []];
  for (const { code, message: m } of run) {
    const row = [code, m.seq, m.id, m.from, m.name, m.text, m.sentAt, m.replyTo ?? null, m.kind ?? 'member', m.editedAt ?? null, mentionsJson(m.mentions)];
    row.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

/** One statement for a run of messages. */
async function insertMessages(client: PoolClient, run: readonly MessageEvent[]): Promise<void> {
  const columns = messageColumns(run);
  if (columns) await client.query(named('insertMessages', columns));
}

/** What removing a room deletes, in order. */
const REMOVE_QUERIES = ['removeMessages', 'removeReactions', 'removePins', 'removeRoles', 'removeMutes', 'removeSettings', 'removeReads', 'removeRoom'] as const;

/** Applies one event that is not a message. */
async function applyOne(client: PoolClient, event: Exclude<RoomEvent, MessageEvent>): Promise<void> {
  switch (event.kind) {
    case 'room': {
      const r = event.room;
      await client.query(named('insertRoom', [r.code, r.title, r.topic, r.visibility, r.hostId, r.createdAt]));
      return;
    }
    case 'edit':
      await client.query(named('editMessage', [event.code, event.seq, event.text, event.editedAt, mentionsJson(event.mentions)]));
      return;
    case 'delete':
      await client.query(named('deleteMessage', [event.code, event.seq]));
      await client.query(named('deleteReactions', [event.code, event.seq]));
      await client.query(named('unpin', [event.code, event.seq]));
      return;
    case 'pin': {
      const p = event.pin;
      await client.query(named('pin', [event.code, p.seq, p.until, p.pinnedAt, p.by, p.name, p.text]));
      return;
    }
    case 'unpin':
      await client.query(named('unpin', [event.code, event.seq]));
      return;
    case 'react':
      await client.query(named(event.on ? 'react' : 'unreact', [event.code, event.seq, event.emoji, event.userId]));
      return;
    case 'role':
      await client.query(
        event.role === 'member' ? named('clearRole', [event.code, event.userId]) : named('setRole', [event.code, event.userId, event.role]),
      );
      return;
    case 'mute':
      await client.query(event.until > 0 ? named('setMute', [event.code, event.userId, event.until]) : named('clearMute', [event.code, event.userId]));
      return;
    case 'settings': {
      const s = event.settings;
      await client.query(named('setSettings', [event.code, s.slowModeS, s.description, s.rules]));
      return;
    }
    case 'gone':
      for (const query of REMOVE_QUERIES) await client.query(named(query, [event.code]));
      return;
  }
}

/** Groups reaction rows (in the order they were first made) by message. */
function groupReactions(rows: readonly { seq: string; emoji: string; user_id: string }[]): Map<number, Reactions> {
  const bySeq = new Map<number, Reactions>();
  for (const row of rows) {
    const seq = Number(row.seq);
    const reactions = bySeq.get(seq) ?? [];
    bySeq.set(seq, reactions);
    const entry = reactions.find(([emoji]) => emoji === row.emoji);
    if (entry) entry[1].push(row.user_id);
    else reactions.push([row.emoji, [row.user_id]]);
  }
  return bySeq;
}

interface RoomRow {
  code: string;
  title: string;
  topic: string | null;
  visibility: string;
  host_id: string | null;
  created_at: string;
  last_seq: string;
  last_sent: string;
}

interface PinRow {
  seq: string;
  until: string | null;
  pinned_at: string;
  pinned_by: string;
  name: string;
  text: string;
}

const toPin = (r: PinRow): PinRecord => ({
  seq: Number(r.seq),
  until: r.until === null ? null : Number(r.until),
  pinnedAt: Number(r.pinned_at),
  by: r.pinned_by,
  name: r.name,
  text: r.text,
});

/** Applies events in order; consecutive messages go in one statement. */
async function apply(client: PoolClient, events: readonly RoomEvent[]): Promise<void> {
  let run: MessageEvent[] = [];
  for (const event of events) {
    if (event.kind === 'message') {
      run.push(event);
      continue;
    }
    await insertMessages(client, run);
    run = [];
    await applyOne(client, event);
  }
  await insertMessages(client, run);
}

/** Rows a purge statement deletes at most. */
const PURGE_BATCH = 5000;

export function createRoomArchive(pool: Pool): RoomArchive & RoomHistory & SavedRooms {
  const withReactions = async (code: string, messages: StoredRoomMessage[]): Promise<StoredRoomMessage[]> => {
    if (messages.length === 0) return messages;
    const { rows } = await pool.query<{ seq: string; emoji: string; user_id: string }>(named('reactions', [code, messages.map((m) => m.seq)]));
    const bySeq = groupReactions(rows);
    return messages.map((m) => (bySeq.has(m.seq) ? { ...m, reactions: bySeq.get(m.seq)! } : m));
  };
  return {
    async purge(before: number): Promise<number> {
      let deleted = 0;
      for (;;) {
        const { rowCount } = await pool.query(named('purgeMessages', [before, PURGE_BATCH]));
        deleted += rowCount ?? 0;
        if ((rowCount ?? 0) < PURGE_BATCH) break;
      }
      await pool.query(named('purgeRooms', [before]));
      await pool.query(named('purgeMutes', [before]));
      await pool.query(named('purgeReads', [before]));
      for (let full = true; full; ) full = ((await pool.query(named('purgeReactions', [PURGE_BATCH]))).rowCount ?? 0) >= PURGE_BATCH;
      await pool.query(named('purgePins', [before]));
      return deleted;
    },
    async remove(code: string): Promise<void> {
      for (const query of REMOVE_QUERIES) await pool.query(named(query, [code]));
    },
    async moderation(code: string, now: number): Promise<RoomModeration> {
      const [roles, mutes, settings] = await Promise.all([
        pool.query<{ user_id: string; role: string }>(named('roles', [code])),
        pool.query<{ user_id: string; until: string }>(named('mutes', [code, now])),
        pool.query<{ slow_mode_s: number; description: string | null; rules: string | null }>(named('settings', [code])),
      ]);
      const s = settings.rows[0];
      return {
        cohosts: roles.rows.filter((r) => r.role === 'cohost').map((r) => r.user_id),
        mutes: mutes.rows.map((r) => ({ userId: r.user_id, until: Number(r.until) })),
        settings: s ? { slowModeS: s.slow_mode_s, description: s.description, rules: s.rules } : null,
      };
    },
    async write(events) {
      // A batch of messages only is one INSERT: atomic on its own, one round trip.
      if (events.every((e) => e.kind === 'message')) {
        const columns = messageColumns(events as MessageEvent[]);
        if (columns) await pool.query(named('insertMessages', columns));
        return;
      }
      await inTransaction(pool, (client) => apply(client, events));
    },
    async history(code: string, query: HistoryQuery): Promise<HistoryPage> {
      const before = query.before ?? Number.MAX_SAFE_INTEGER;
      const { rows } = await pool.query<MessageRow>(named('historyPage', [code, before, query.notBefore, query.limit + 1]));
      const messages = await withReactions(code, rows.slice(0, query.limit).map(toMessage).reverse());
      return { messages, hasMore: rows.length > query.limit };
    },
    async savedRoom(code: string): Promise<{ room: RoomRecord; lastSeq: number; lastActiveAt: number } | null> {
      const { rows } = await pool.query<RoomRow>(named('savedRoom', [code]));
      const r = rows[0];
      if (!r) return null;
      const room: RoomRecord = {
        code: r.code,
        title: r.title,
        topic: r.topic,
        visibility: r.visibility === 'private' ? 'private' : 'public',
        createdAt: Number(r.created_at),
        hostId: r.host_id,
      };
      return { room, lastSeq: Number(r.last_seq), lastActiveAt: Math.max(room.createdAt, Number(r.last_sent)) };
    },
    async pins(code: string, now: number): Promise<PinRecord[]> {
      const { rows } = await pool.query<PinRow>(named('pins', [code, now]));
      return rows.map(toPin);
    },
  };
}
