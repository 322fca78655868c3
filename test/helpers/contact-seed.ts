/**
 * Makes contacts straight through the PostgreSQL contacts store, for
 * benchmarks that need thousands of them (each made by a chat and two
 * keep-in-touch requests would take far longer): every user i is a contact
 * of the `perUser / 2` users after it on a ring, so each has `perUser`.
 */
import type { Pool } from 'pg';
import { createPostgresContactsStore } from '../../src/store/postgres/contacts-store';

export interface SeededContact {
  /** Index of the other user. */
  peer: number;
  /** This user's id for the contact. */
  contactId: string;
}

/** Returns, for each user, its contacts. */
export async function seedContactRing(
  pool: Pool,
  userIds: readonly string[],
  perUser: number,
  onProgress?: (done: number) => void,
  /** Prefix of the pair and contact ids, for seeding several rings in one database. */
  idPrefix = '',
): Promise<SeededContact[][]> {
  const store = createPostgresContactsStore(pool);
  const n = userIds.length;
  const half = Math.min(Math.floor(perUser / 2), Math.floor((n - 1) / 2));
  const contacts: SeededContact[][] = userIds.map(() => []);
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let k = 1; k <= half; k++) pairs.push([i, (i + k) % n]);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < pairs.length) {
      const [a, b] = pairs[next++]!;
      const ca = `${idPrefix}c${a}x${b}`;
      const cb = `${idPrefix}c${b}x${a}`;
      const r = await store.createPair(
        { ownerId: userIds[a]!, contactId: ca, nickname: `user ${b}` },
        { ownerId: userIds[b]!, contactId: cb, nickname: `user ${a}` },
        `${idPrefix}p${a}x${b}`,
        Date.now(),
        perUser + 1,
      );
      if (!r.ok) throw new Error(`seeding contact ${a}–${b} refused`);
      contacts[a]!.push({ peer: b, contactId: ca });
      contacts[b]!.push({ peer: a, contactId: cb });
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return contacts;
}
