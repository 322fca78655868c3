/** The record of backstages in PostgreSQL (room_backstages, room_backstage_invites, migration 0011): they survive a Redis loss. */
import type { Pool } from 'pg';
import type { RoomBackstagesStore } from '../room-backstages';
import { guarded } from './transaction';

const QUERIES = {
  // A parent that has a backstage keeps it: the row is left as it is and its code comes back.
  open: `INSERT INTO room_backstages (parent_code, code, opened_at) VALUES ($1, $2, $3)
    ON CONFLICT (parent_code) DO UPDATE SET parent_code = room_backstages.parent_code
    RETURNING code`,
  backstageOf: `SELECT code FROM room_backstages WHERE parent_code = $1`,
  parentOf: `SELECT parent_code AS code FROM room_backstages WHERE code = $1`,
  invite: `INSERT INTO room_backstage_invites (parent_code, user_id, invited_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
  uninvite: `DELETE FROM room_backstage_invites WHERE parent_code = $1 AND user_id = $2`,
  invited: `SELECT 1 FROM room_backstage_invites WHERE parent_code = $1 AND user_id = $2`,
  invitees: `SELECT user_id FROM room_backstage_invites WHERE parent_code = $1 ORDER BY invited_at, user_id`,
} as const;

const named = (name: keyof typeof QUERIES, values: unknown[]) => ({ name: `parley-backstages-${name}`, text: QUERIES[name], values });

export function createPostgresRoomBackstages(pool: Pool, now: () => number = Date.now): RoomBackstagesStore {
  const code = async (name: 'backstageOf' | 'parentOf', value: string): Promise<string | null> => {
    const { rows } = await pool.query<{ code: string }>(named(name, [value]));
    return rows[0]?.code ?? null;
  };
  // A PostgreSQL outage answers UNAVAILABLE, as every store's does.
  return guarded({
    async open(parent: string, backstage: string): Promise<string> {
      const { rows } = await pool.query<{ code: string }>(named('open', [parent, backstage, now()]));
      return rows[0]!.code;
    },
    backstageOf: (parent) => code('backstageOf', parent),
    parentOf: (backstage) => code('parentOf', backstage),
    async invite(parent: string, userId: string): Promise<void> {
      await pool.query(named('invite', [parent, userId, now()]));
    },
    async uninvite(parent: string, userId: string): Promise<void> {
      await pool.query(named('uninvite', [parent, userId]));
    },
    async invited(parent: string, userId: string): Promise<boolean> {
      return (await pool.query(named('invited', [parent, userId]))).rows.length > 0;
    },
    async invitees(parent: string): Promise<string[]> {
      return (await pool.query<{ user_id: string }>(named('invitees', [parent]))).rows.map((r) => r.user_id);
    },
  });
}
