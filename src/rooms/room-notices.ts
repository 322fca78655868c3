/** What a room's members are told of a change in it: presence, and messages of the room itself. */
import type { DepartedMember, RoomMemberRecord } from '../store/rooms-store';
import type { RoomServiceDeps } from './room-deps';
import { memberInfo, membersInfo, messageView } from './views';

type Deps = Pick<RoomServiceDeps, 'notifier' | 'clock'>;

/** The room's presence after a member left it. */
export function announceDeparture(deps: Deps, d: DepartedMember): void {
  deps.notifier.presence({ code: d.code, members: membersInfo(d.members, deps.clock.now()), left: { name: d.member.name } });
}

/** The room's presence after a member's role or mute changed. */
export function announceChange(deps: Deps, code: string, list: readonly RoomMemberRecord[], changedId: string): void {
  const now = deps.clock.now();
  const changed = list.find((m) => m.userId === changedId);
  deps.notifier.presence({ code, members: membersInfo(list, now), ...(changed ? { changed: memberInfo(changed, now) } : {}) });
}

/** Stores and delivers a message of the room itself. */
export async function announce(deps: Pick<RoomServiceDeps, 'notifier' | 'clock' | 'store' | 'newMessageId'>, code: string, text: string): Promise<void> {
  const stored = await deps.store.announce(code, { id: deps.newMessageId(), text, sentAt: deps.clock.now() });
  if (stored) deps.notifier.message({ code, epoch: stored.epoch ?? '', ...messageView(stored) }, '');
}
