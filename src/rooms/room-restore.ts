/**
 * Rooms put back after a Redis loss, as PostgreSQL keeps them, and the public
 * rooms of the ROOMS setting made at start.
 */
import { StoreUnavailableError } from '../errors';
import type { RoomModeration } from '../store/room-archive';
import type { RoomPolicy } from './ports';
import type { RoomServiceDeps } from './room-deps';

/** What PostgreSQL records of a room's backstage links: the room it stands beside, its own backstage and who is invited there. */
interface RecordedLinks {
  parent: string | null;
  backstage: string | null;
  invitees: string[];
}

export class RoomRestore {
  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly policy: Pick<RoomPolicy, 'roomEmptyTtlMs'>,
  ) {}

  /**
   * Creates the public rooms of the ROOMS setting that do not exist yet (or
   * puts back those PostgreSQL keeps); one made again (Redis lost it) takes
   * back its co-hosts, mutes and settings from PostgreSQL.
   */
  async ensurePublicRooms(codes: readonly string[]): Promise<void> {
    for (const code of codes) {
      // PostgreSQL away at start: the room is made anew rather than the node not starting.
      if (await this.restore(code).catch(() => false)) continue;
      const room = { code, title: code, topic: code, visibility: 'public' as const, createdAt: this.deps.clock.now(), hostId: null };
      const { recorded, store, clock } = this.deps;
      if ((await store.createRoom(room)) && recorded) await this.takeBack(code, await recorded(code, clock.now()));
    }
  }

  /**
   * Puts back a room Redis lost, as PostgreSQL keeps it: its record, its seq
   * after its last archived message, its pins, its co-hosts, mutes and
   * settings. It is a new stream (its epoch, `createdAt`, is now): what Redis
   * held and PostgreSQL did not yet is gone, so clients drop what they hold
   * and take the server's messages. Never a room that would have expired
   * anyway (a user's room quiet for the empty-room time, which may have been
   * empty that long): false for those, without PostgreSQL, and when
   * PostgreSQL has no such room.
   */
  async restore(code: string): Promise<boolean> {
    const { archive, store, clock } = this.deps;
    if (!archive) return false;
    const now = clock.now();
    // PostgreSQL away: the client is told to try again (UNAVAILABLE), not that the room does not exist.
    const unavailable = (err: unknown): never => {
      throw new StoreUnavailableError(err);
    };
    const saved = await archive.savedRoom(code).catch(unavailable);
    if (!saved || (saved.room.hostId !== null && now - saved.lastActiveAt >= this.policy.roomEmptyTtlMs)) return false;
    // Everything is read before anything is written: PostgreSQL failing half-way leaves no room without its roles.
    const [pins, kept, links] = await Promise.all([archive.pins(code, now), this.deps.recorded?.(code, now), this.recordedLinks(code)]).catch(
      unavailable,
    );
    // The backstage links first: a backstage is never back without what keeps outsiders out.
    if (links) await this.relink(code, links);
    if ((await store.restoreRoom({ ...saved.room, createdAt: now }, saved.lastSeq, pins)) && kept) await this.takeBack(code, kept);
    return true;
  }

  /** Gives a room made again (Redis lost it) its co-hosts, mutes and settings as PostgreSQL recorded them. */
  private async takeBack(code: string, { cohosts, mutes, settings }: RoomModeration): Promise<void> {
    const { store } = this.deps;
    if (settings) await store.updateSettings(code, settings);
    for (const userId of cohosts) await store.setRole(code, userId, 'cohost');
    for (const { userId, until } of mutes) await store.mute(code, userId, until);
  }

  private async recordedLinks(code: string): Promise<RecordedLinks | undefined> {
    const record = this.deps.backstageRecord;
    if (!record) return undefined;
    const [parent, backstage, invitees] = await Promise.all([record.parentOf(code), record.backstageOf(code), record.invitees(code)]);
    return { parent, backstage, invitees };
  }

  private async relink(code: string, links: RecordedLinks): Promise<void> {
    const { backstages } = this.deps;
    if (links.parent !== null) await backstages.open(links.parent, code);
    if (links.backstage !== null) await backstages.open(code, links.backstage);
    for (const userId of links.invitees) await backstages.invite(code, userId);
  }
}
