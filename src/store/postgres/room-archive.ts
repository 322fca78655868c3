/**
 * Rooms and their messages in PostgreSQL: the archiver's sink and the history
 * older than the recent window. Every query is named and parameterised.
 */
import type { Pool, PoolClient } from 'pg';
import type { RoomArchive } from '../room-archive';
import type { RoomEvent } from '../room-outbox';
import type { HistoryPage, HistoryQuery, RoomHistory, StoredRoomMessage } from '../rooms-store';
import { inTransaction } from './transaction';

const QUERIES = {
  insertRoom: `INSERT INTO rooms (code, title, topic, visibility, host_id, created_at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
  insertMessages: `INSERT INTO room_messages (room_code, seq, id, sender_id, name, text, sent_at, reply_to, edited_at, mentions)
    SELECT c, s, i, f, n, t, a, r, e, m::jsonb
    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])
      AS u(c, s, i, f, n, t, a, r, e, m)
    ON CONFLICT (room_code, seq) DO NOTHING`,
  // An edit written twice, or after a later one, changes nothing.
  editMessage: `UPDATE room_messages SET text = $3, edited_at = $4, mentions = $5::jsonb
    WHERE room_code = $1 AND seq = $2 AND NOT deleted AND (edited_at IS NULL OR edited_at <= $4)`,
  // A deleted message keeps its row (seqs stay gapless) but not its words.
  deleteMessage: `UPDATE room_messages SET deleted = true, text = '', name = '', mentions = NULL WHERE room_code = $1 AND seq = $2`,
  // Retention, in bounded batches so no statement holds many locks for long.
  purgeMessages: `DELETE FROM room_messages WHERE ctid IN (SELECT ctid FROM room_messages WHERE sent_at < $1 LIMIT $2)`,
  purgeRooms: `DELETE FROM rooms r WHERE created_at < $1
    AND NOT EXISTS (SELECT 1 FROM room_messages m WHERE m.room_code = r.code)`,
  // An operator removed the room: its messages and row go at once.
  removeMessages: `DELETE FROM room_messages WHERE room_code = $1`,
  removeRoom: `DELETE FROM rooms WHERE code = $1`,
  historyPage: `SELECT seq, id, sender_id, name, text, sent_at, reply_to, edited_at, mentions FROM room_messages
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
  if (row.edited_at !== null) message.editedAt = Number(row.edited_at);
  if (row.mentions?.length) message.mentions = row.mentions;
  return message;
}

type MessageEvent = Extract<RoomEvent, { kind: 'message' }>;

const mentionsJson = (mentions: readonly string[] | undefined): string | null => (mentions?.length ? JSON.stringify(mentions) : null);

/** The columns of a run of messages, as arrays PostgreSQL unnests; null for an empty run. */
function messageColumns(run: readonly MessageEvent[]): unknown[][] | null {
  if (run.length === 0) return null;
  const columns: unknown[][] = [[], [], [], [], [], [], [], [], [], []];
  for (const { code, message: m } of run) {
    const row = [code, m.seq, m.id, m.from, m.name, m.text, m.sentAt, m.replyTo ?? null, m.editedAt ?? null, mentionsJson(m.mentions)];
    row.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

/** One statement for a run of messages. */
async function insertMessages(client: PoolClient, run: readonly MessageEvent[]): Promise<void> {
  const columns = messageColumns(run);
  if (columns) await client.query(named('insertMessages', columns));
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
    if (event.kind === 'room') {
      const r = event.room;
      await client.query(named('insertRoom', [r.code, r.title, r.topic, r.visibility, r.hostId, r.createdAt]));
    } else if (event.kind === 'edit') {
      await client.query(named('editMessage', [event.code, event.seq, event.text, event.editedAt, mentionsJson(event.mentions)]));
    } else {
      await client.query(named('deleteMessage', [event.code, event.seq]));
    }
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
      return deleted;
    },
    async remove(code: string): Promise<void> {
      await pool.query(named('removeMessages', [code]));
      await pool.query(named('removeRoom', [code]));
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
