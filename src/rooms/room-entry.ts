/** Entering a room: the membership stored, under the name asked for or a generated one tried again while taken. */
import type { RoomJoinPayload } from '../protocol';
import type { MembershipResult } from '../store/rooms-store';
import { friendlyName } from './names';
import type { RoomPolicy } from './ports';
import type { RoomServiceDeps } from './room-deps';

/** Tries at a free generated name before giving up. */
const NAME_TRIES = 8;

/** Stores the membership (a generated name is tried again while taken). */
export async function enterRoom(
  deps: RoomServiceDeps,
  policy: Pick<RoomPolicy, 'roomMaxMembers' | 'roomsPerUser'>,
  userId: string,
  sid: string,
  payload: RoomJoinPayload,
): Promise<MembershipResult> {
  const { store, clock, nodeId } = deps;
  const chosen = payload.name;
  for (let attempt = 0; ; attempt++) {
    const name = chosen ?? friendlyName(deps.random);
    const result = await store.join({
      code: payload.code,
      userId,
      name,
      keepName: chosen === undefined,
      sid,
      node: nodeId,
      now: clock.now(),
      maxMembers: policy.roomMaxMembers,
      maxRooms: policy.roomsPerUser,
    });
    if (result.kind !== 'name-taken' || chosen !== undefined || attempt >= NAME_TRIES) return result;
  }
}
