/**
 * Presence that survives a blip: a member whose last connection closed stays
 * listed (away) for RESUME_GRACE_MS, and is present again when a connection
 * comes back; after that, or when its node dies, it leaves its rooms.
 */
import type { RoomPolicy } from './ports';
import type { RoomBackstage } from './room-backstage';
import type { RoomServiceDeps } from './room-deps';
import { announceDeparture } from './room-notices';

export class RoomPresence {
  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly policy: Pick<RoomPolicy, 'resumeGraceMs'>,
    private readonly backstage: RoomBackstage,
  ) {}

  /** A connection of the user opened: every membership is present again. Returns the room codes. */
  async connected(userId: string, sid: string): Promise<string[]> {
    return this.deps.store.attach(userId, sid, this.deps.nodeId);
  }

  /** A connection closed: memberships stay listed for the resume grace. */
  async disconnected(userId: string, sid: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.detach(userId, sid, now + this.policy.resumeGraceMs);
    if (this.policy.resumeGraceMs === 0) await this.expire();
  }

  /** Removes members whose grace ended; run by the upkeep of every node. */
  async expire(): Promise<number> {
    const departed = await this.deps.store.expireAway(this.deps.clock.now());
    for (const d of departed) announceDeparture(this.deps, d);
    await this.backstage.leaveAll(departed);
    return departed.length;
  }

  /** Removes the members of a dead node. */
  async sweepNode(nodeId: string): Promise<number> {
    const departed = await this.deps.store.sweepNode(nodeId);
    for (const d of departed) announceDeparture(this.deps, d);
    await this.backstage.leaveAll(departed);
    return departed.length;
  }
}
