/** Topic rooms through real clients: create one, join it, seat a member on every node. */
import type { RoomInfo, RoomJoinResult } from '../../src/protocol';
import type { AppendedRoomMessage, AppendRefusal, StoredRoomMessage } from '../../src/store/rooms-store';
import { request, type Client } from './clients';

/** `room-create` of a private room; resolves with its code, throws the refusal's code. */
export async function createPrivateRoom(host: Client, title = 'Across'): Promise<string> {
  const ack = await request<{ room: RoomInfo }>(host, 'room-create', { title, visibility: 'private' });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.room.code;
}

/** `room-join`; resolves with the ack, throws the refusal's code. */
export async function joinRoom(client: Client, code: string, name?: string): Promise<RoomJoinResult> {
  const ack = await request<RoomJoinResult>(client, 'room-join', { code, ...(name ? { name } : {}) });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack;
}

/**
 * A private room created by `host` and joined, one after the other, by each of
 * `members` as `M<i>` (the host may be one of them: its join picks up its
 * membership). Resolves with the room's code once every join is acknowledged.
 */
export async function roomWithMembers(host: Client, members: readonly Client[], title = 'Across'): Promise<string> {
  const code = await createPrivateRoom(host, title);
  for (const [i, member] of members.entries()) await joinRoom(member, code, `M${i}`);
  return code;
}

/** `GET /api/rooms/:code/messages?<query>` as `member` (a private room's history is for its members). */
export async function roomHistory<T = { messages: { seq: number; text: string }[]; hasMore: boolean }>(
  url: string,
  code: string,
  member: Client,
  query = 'limit=100',
): Promise<T> {
  const res = await fetch(`${url}/api/rooms/${code}/messages?${query}`, { headers: { authorization: `Bearer ${member.session.token}` } });
  if (!res.ok) throw new Error(`history of ${code}: ${res.status}`);
  return (await res.json()) as T;
}

/** The message an append stored (a test's appends are never refused). */
export function stored(appended: AppendedRoomMessage | AppendRefusal | null): StoredRoomMessage {
  if (!appended || 'refused' in appended) throw new Error(`append not stored: ${JSON.stringify(appended)}`);
  return appended;
}
