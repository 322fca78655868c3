/**
 * A room's backstage: a private room beside it for its host, co-hosts and
 * the members the host invites. To anyone else it is no room at all.
 */
import { ClientError } from '../errors';
import type { DepartedMember, GrantedRole, RoomSummary } from '../store/rooms-store';
import type { RoomServiceDeps } from './room-deps';
import { announceChange, announceDeparture } from './room-notices';
import { memberNamed, notInRoom, REFUSALS } from './room-refusals';
import type { RoomRestore } from './room-restore';

/** Longest room title (as `room-create` takes it). */
const TITLE_MAX = 60;

export class RoomBackstage {
  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly restorer: RoomRestore,
  ) {}

  /**
   * `room-backstage`: the host opens the room's backstage (the same one every
   * time), and with `invite` invites a present member into it, who is told
   * (`room-backstage-invite`); co-hosts and invited members get its code.
   */
  async open(userId: string, code: string, invite?: string): Promise<{ code: string }> {
    const { store, backstages } = this.deps;
    const member = await store.member(code, userId);
    if (!member) throw await notInRoom(this.deps, code);
    if ((await backstages.parentOf(code)) !== null) throw new ClientError('NOT_ALLOWED', 'A backstage has no backstage of its own.');
    if (member.role !== 'host') {
      const open = invite === undefined ? await backstages.backstageOf(code) : null;
      if (open !== null && (member.role === 'cohost' || (await backstages.invited(code, userId)))) return { code: open };
      throw new ClientError('NOT_ALLOWED', 'Only the host of the room opens its backstage and invites to it.');
    }
    const target = invite !== undefined ? await memberNamed(store, code, invite) : null;
    const opened = await this.ensureRoom(code);
    if (target && target.userId !== userId) {
      await this.deps.backstageRecord?.invite(code, target.userId);
      await backstages.invite(code, target.userId);
      this.deps.notifier.backstageInvite(target.userId, { code, backstage: { code: opened }, by: member.name });
    }
    return { code: opened };
  }

  /** The room's backstage, made (again, after a Redis loss took it) when it is not there. */
  private async ensureRoom(parent: string): Promise<string> {
    const { store, backstages, clock } = this.deps;
    const room = await store.getRoom(parent);
    if (!room) throw REFUSALS['not-found'];
    const held = await backstages.backstageOf(parent);
    const fresh = this.deps.newCode();
    // PostgreSQL decides first when it keeps the record: after a Redis loss it answers the backstage the room had.
    const code = held ?? (await backstages.open(parent, (await this.deps.backstageRecord?.open(parent, fresh)) ?? fresh));
    if ((await store.getRoom(code)) || (await this.restorer.restore(code))) return code;
    const title = `Backstage · ${room.title}`.slice(0, TITLE_MAX);
    // Two opening at once: the second create finds the room made, which is what it wanted.
    await store.createRoom({ code, title, topic: null, visibility: 'private', createdAt: clock.now(), hostId: room.hostId });
    return code;
  }

  /**
   * Null for a room that is no backstage. For a backstage, the code of its
   * main room and the user's name there when the user may enter: a member
   * there who is its host, a co-host (who moderates the backstage too) or
   * invited; ROOM_NOT_FOUND otherwise, as for a room that does not exist.
   */
  async admit(userId: string, code: string): Promise<{ parent: string; name: string } | null> {
    const { store, backstages } = this.deps;
    const parent = await backstages.parentOf(code);
    if (parent === null) return null;
    const member = await store.member(parent, userId);
    const admitted = member !== null && (member.role !== 'member' || (await backstages.invited(parent, userId)));
    if (!admitted) throw REFUSALS['not-found'];
    if (member.role === 'cohost') await store.setRole(code, userId, 'cohost');
    return { parent, name: member.name };
  }

  /** True unless the room is a backstage and the user (null: no identity) not in it. */
  async sees(userId: string | null, room: RoomSummary): Promise<boolean> {
    if (room.visibility !== 'private' || (userId !== null && (await this.deps.store.member(room.code, userId)) !== null)) return true;
    return (await this.deps.backstages.parentOf(room.code)) === null;
  }

  /** Out of the room's backstage (told as `room-kicked` of the backstage), when it has one and the user is in it. */
  async leave(userId: string, parent: string): Promise<void> {
    const code = await this.deps.backstages.backstageOf(parent);
    if (code === null) return;
    const departed = await this.deps.store.leave(code, userId);
    if (!departed) return;
    this.deps.notifier.kicked(userId, code);
    announceDeparture(this.deps, departed);
  }

  /** Each departed member out of the backstage of the room it left. */
  async leaveAll(departed: readonly DepartedMember[]): Promise<void> {
    for (const d of departed) await this.leave(d.member.userId, d.code).catch(() => undefined);
  }

  /** A co-host of the main room is one in its backstage; one made a member again stays there only when invited. */
  async followRole(parent: string, userId: string, role: GrantedRole): Promise<void> {
    const { store, backstages } = this.deps;
    const code = await backstages.backstageOf(parent);
    if (code === null) return;
    if (role === 'member' && !(await backstages.invited(parent, userId))) {
      await this.leave(userId, parent);
      await store.setRole(code, userId, 'member');
      return;
    }
    const members = await store.setRole(code, userId, role);
    if (members?.some((m) => m.userId === userId)) announceChange(this.deps, code, members, userId);
  }
}
