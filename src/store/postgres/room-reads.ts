/** Read positions in PostgreSQL (room_reads, migration 0010): they survive a Redis loss. */
import type { Pool } from 'pg';
import type { ReadMark, RoomReadsStore } from '../room-reads';
import { guarded } from './transaction';

const QUERIES = {
  // Only forward: a row at or past `seq` is left alone (and no row comes back).
  markRead: `INSERT INTO room_reads (user_id, room_code, read_seq, updated_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (user_id, room_code) DO UPDATE SET read_seq = EXCLUDED.read_seq, updated_at = EXCLUDED.updated_at
    WHERE room_reads.read_seq < EXCLUDED.read_seq
    RETURNING read_seq`,
  readSeq: `SELECT read_seq FROM room_reads WHERE user_id = $1 AND room_code = $2`,
  forget: `DELETE FROM room_reads WHERE user_id = $1`,
} as const;

const named = (name: keyof typeof QUERIES, values: unknown[]) => ({ name: `parley-reads-${name}`, text: QUERIES[name], values });

export function createPostgresRoomReads(pool: Pool): RoomReadsStore {
  const readSeq = async (userId: string, code: string): Promise<number> => {
    const { rows } = await pool.query<{ read_seq: string }>(named('readSeq', [userId, code]));
    return rows.length > 0 ? Number(rows[0]!.read_seq) : 0;
  };
  // An outage answers UNAVAILABLE (retry), not INTERNAL.
  return guarded({
    readSeq,
    async forget(userId: string): Promise<void> {
      await pool.query(named('forget', [userId]));
    },
    async markRead(userId: string, code: string, seq: number, now: number): Promise<ReadMark> {
      if (seq <= 0) return { readSeq: await readSeq(userId, code), changed: false };
      const { rows } = await pool.query<{ read_seq: string }>(named('markRead', [userId, code, seq, now]));
      if (rows.length > 0) return { readSeq: Number(rows[0]!.read_seq), changed: true };
      return { readSeq: await readSeq(userId, code), changed: false };
    },
  });
}
