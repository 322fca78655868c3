/**
 * What `delete-identity` removes from PostgreSQL, applied again to identities
 * a restored dump still holds although they were deleted after it was taken
 * (`npm run restore -- FILE --deletions-from URL`). The same store steps as
 * the handler (src/realtime/handlers/contacts/delete-identity.ts): contacts on
 * both sides with their direct messages and streams, settings, the tombstone
 * (deleted_identities), room read positions, the reporter id of the reports
 * it filed, its standing. What lives only in Redis is gone after a restore.
 */
import type { Pool } from 'pg';
import { createPostgresContactsStore } from './contacts-store';
import { createPostgresModerationStore } from './moderation-store';
import { createPostgresRoomReads } from './room-reads';

export interface Deletion {
  userId: string;
  /** When the identity was deleted, epoch ms (kept in its tombstone). */
  deletedAt: number;
}

const DELETIONS = `SELECT user_id, deleted_at FROM deleted_identities ORDER BY deleted_at`;

/** Every deletion a database recorded, oldest first. */
export async function recordedDeletions(pool: Pool): Promise<Deletion[]> {
  const { rows } = await pool.query<{ user_id: string; deleted_at: string }>({ name: 'parley-deletions', text: DELETIONS });
  return rows.map((row) => ({ userId: row.user_id, deletedAt: Number(row.deleted_at) }));
}

/**
 * Applies the deletions `pool`'s database has not recorded yet; returns their
 * number. Safe to run twice: a recorded deletion is skipped.
 */
export async function reapplyDeletions(pool: Pool, deletions: readonly Deletion[]): Promise<number> {
  const known = new Set((await recordedDeletions(pool)).map((d) => d.userId));
  const contacts = createPostgresContactsStore(pool);
  const reads = createPostgresRoomReads(pool);
  const moderation = createPostgresModerationStore(pool);
  let applied = 0;
  for (const { userId, deletedAt } of deletions) {
    if (known.has(userId)) continue;
    await reads.forget(userId);
    await contacts.deleteUser(userId, deletedAt);
    await moderation.forgetReporter(userId);
    applied += 1;
  }
  return applied;
}
