/**
 * Rooms and their messages in PostgreSQL: the archiver's sink and the history
 * older than the recent window. Every query is named and parameterised.
 */
import type { Pool, PoolClient } from 'pg';
import type { RoomArchive, RoomModeration } from '../room-archive';
import type { RoomEvent } from '../room-outbox';
import type { HistoryPage, HistoryQuery, RoomHistory, StoredRoomMessage } from '../rooms-store';
import { inTransaction } from './transaction';

const QUERIES = {
  insertRoom: `INSERT INTO rooms (code, title, topic, visibility, host_id, created_at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
  insertMessages: `INSERT INTO room_messages (room_code, seq, id, sender_id, name, text, sent_at, reply_to, kind)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[])
    ON CONFLICT (room_code, seq) DO NOTHING`,
  // A deleted message keeps its row (seqs stay gapless) but not its words.
  deleteMessage: `UPDATE room_messages SET deleted = true, text = '', name = '' WHERE room_code = $1 AND seq = $2`,
  // Retention, in bounded batches so no statement holds many locks for long.
  purgeMessages: `DELETE FROM room_messages WHERE ctid IN (SELECT ctid FROM room_messages WHERE sent_at < $1 LIMIT $2)`,
  purgeRooms: `DELETE FROM rooms r WHERE created_at < $1
    AND NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = r.code)`,
  // Mutes that ended before the retention cutoff are of no use to anyone.
  purgeMutes: `DELETE FROM room_mutes WHERE until < $1`,
  // An operator removed the room: its messages and row go at once.
  removeMessages: `DELETE FROM room_messages WHERE room_code = $1`,
  removeRoom: `DELETE FROM rooms WHERE code = $1`,
  removeRoles: `DELETE FROM room_roles WHERE room_code = $1`,
  removeMutes: `DELETE FROM room_mutes WHERE room_code = $1`,
  removeSettings: `DELETE FROM room_settings WHERE room_code = $1`,
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
  historyPage: `SELECT seq, id, sender_id, name, text, sent_at, reply_to, kind FROM room_messages
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
  return message;
}

type MessageEvent = Extract<RoomEvent, { kind: 'message' }>;

/** The columns of a run of messages, as arrays PostgreSQL unnests; null for an empty run. */
function messageColumns(run: readonly MessageEvent[]): unknown[][] | null {
  if (run.length === 0) return null;
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
  for (const { code, message: m } of run) {
    const row = [code, m.seq, m.id, m.from, m.name, m.text, m.sentAt, m.replyTo ?? null, m.kind ?? 'member'];
    row.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

/** One statement for a run of messages. */
async function insertMessages(client: PoolClient, run: readonly MessageEvent[]): Promise<void> {
  const columns = messageColumns(run);
  if (columns) await client.query(named('insertMessages', columns));
}

/** The statement that records an event other than a message. */
function statementOf(event: Exclude<RoomEvent, MessageEvent>) {
  switch (event.kind) {
    case 'room': {
      const r = event.room;
      return named('insertRoom', [r.code, r.title, r.topic, r.visibility, r.hostId, r.createdAt]);
    }
    case 'delete':
      return named('deleteMessage', [event.code, event.seq]);
    case 'role':
      return event.role === 'member' ? named('clearRole', [event.code, event.userId]) : named('setRole', [event.code, event.userId, event.role]);
    case 'mute':
      return event.until > 0 ? named('setMute', [event.code, event.userId, event.until]) : named('clearMute', [event.code, event.userId]);
    case 'settings': {
      const s = event.settings;
      return named('setSettings', [event.code, s.slowModeS, s.description, s.rules]);
    }
  }
}

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
    await client.query(statementOf(event));
  }
  await insertMessages(client, run);
}

/** Rows a purge statement deletes at most. */
const PURGE_BATCH = 5000;

export function createRoomArchive(pool: Pool): RoomArchive & RoomHistory {
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
      return deleted;
    },
    async remove(code: string): Promise<void> {
      for (const query of ['removeMessages', 'removeRoles', 'removeMutes', 'removeSettings', 'removeRoom'] as const) await pool.query(named(query, [code]));
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
      const messages = rows.slice(0, query.limit).map(toMessage).reverse();
      return { messages, hasMore: rows.length > query.limit };
    },
  };
}
