/**
 * The storage contract of backstages: the link between a room and the
 * private room beside it (its backstage), and the members its host invited.
 * The rooms store's backend (memory, Redis) holds them for the rules to read;
 * with DATABASE_URL, PostgreSQL is their record too (written first, read back
 * when a room is put back after a Redis loss), so a join never waits on
 * PostgreSQL. Every backend passes test/store/room-backstages-contract.ts.
 */
export interface RoomBackstagesStore {
  /**
   * Links `code` to `parent` as its backstage unless the parent has one
   * already; answers the backstage's code in force (one per parent, however
   * many open it at once).
   */
  open(parent: string, code: string): Promise<string>;
  /** The code of the room's backstage; null when it has none. */
  backstageOf(parent: string): Promise<string | null>;
  /** The code of the room a backstage stands beside; null for a room that is no backstage. */
  parentOf(code: string): Promise<string | null>;
  /** The host invited the user into the parent's backstage. Idempotent. */
  invite(parent: string, userId: string): Promise<void>;
  /** Takes an invitation back (a kicked member). Idempotent. */
  uninvite(parent: string, userId: string): Promise<void>;
  invited(parent: string, userId: string): Promise<boolean>;
  /** Every user invited into the parent's backstage (to put them back after a Redis loss). */
  invitees(parent: string): Promise<string[]>;
}
