/** The errors a refused room request answers, and the checks that raise them. */
import { ClientError, muted, rateLimited, slowMode } from '../errors';
import type { AppendRefusal, RoomJoinRefusal, RoomMemberRecord, RoomsStore } from '../store/rooms-store';
import type { RoomBackstagesStore } from '../store/room-backstages';

export const REFUSALS: Record<RoomJoinRefusal, ClientError> = {
  'not-found': new ClientError('ROOM_NOT_FOUND'),
  full: new ClientError('ROOM_FULL'),
  'name-taken': new ClientError('NAME_TAKEN'),
  kicked: new ClientError('KICKED'),
  'too-many-rooms': new ClientError('TOO_MANY_ROOMS'),
};

/** NOT_IN_ROOM for a room that exists, ROOM_NOT_FOUND for one that does not, or is a backstage (it is not there to outsiders). */
export async function notInRoom(deps: { store: RoomsStore; backstages: RoomBackstagesStore }, code: string): Promise<ClientError> {
  const [room, parent] = await Promise.all([deps.store.getRoom(code), deps.backstages.parentOf(code)]);
  return room && parent === null ? new ClientError('NOT_IN_ROOM') : REFUSALS['not-found'];
}

/** The member of the room by that name (case-insensitive); NOT_IN_ROOM when there is none. */
export async function memberNamed(store: RoomsStore, code: string, name: string): Promise<RoomMemberRecord> {
  const key = name.toLowerCase();
  const target = (await store.members(code)).find((m) => m.name.toLowerCase() === key);
  if (!target) throw new ClientError('NOT_IN_ROOM', 'No member of the room has that name.');
  return target;
}

/** EMPTY_MESSAGE or MESSAGE_TOO_LONG for a text no message may carry. */
export function checkText(text: string, max: number): void {
  if (text.trim().length === 0) throw new ClientError('EMPTY_MESSAGE');
  if ((text.length <= max ? text.length : [...text].length) > max) {
    throw new ClientError('MESSAGE_TOO_LONG', `A message can be at most ${max} characters.`);
  }
}

/** The error a refused append answers. */
export function refusalError(refusal: AppendRefusal, now: number): ClientError {
  if (refusal.refused === 'muted') return muted(refusal.until, now);
  return refusal.refused === 'slow-mode' ? slowMode(refusal.retryAfterMs) : rateLimited(refusal.retryAfterMs);
}
