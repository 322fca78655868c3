/**
 * Rooms and their messages in PostgreSQL: the archiver's sink and the history
 * older than the recent window. Every query is named and parameterised (the
 * SQL in ./room-archive-sql, the writing of events in ./room-archive-writes).
 */
import type { Pool } from 'pg';
import type { RoomArchive, RoomModeration, SavedRooms } from '../room-archive';
import type { HistoryPage, HistoryQuery, PinRecord, Reactions, RoomHistory, RoomRecord, StoredRoomMessage } from '../rooms-store';
import { named, REMOVE_QUERIES } from './room-archive-sql';
import { writeEvents } from './room-archive-writes';

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
      await writeEvents(pool, events);
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