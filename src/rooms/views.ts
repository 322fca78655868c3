/** Store records as clients see them: no user ids, no connection details. */
import type { RoomDetails, RoomInfo, RoomMemberInfo, RoomMessage } from '../protocol';
import type { RoomMemberRecord, RoomSummary, StoredRoomMessage } from '../store/rooms-store';

export const roomInfo = (r: RoomSummary): RoomInfo => ({
  code: r.code,
  title: r.title,
  topic: r.topic,
  visibility: r.visibility,
  members: r.members,
  createdAt: r.createdAt,
  lastActiveAt: r.lastActiveAt,
});

/** A member as others see it at `now` (an ended mute is not shown). */
export const memberInfo = (m: RoomMemberRecord, now: number): RoomMemberInfo => ({
  name: m.name,
  host: m.host,
  role: m.role,
  ...(m.mutedUntil > now ? { mutedUntil: m.mutedUntil } : {}),
});

export const membersInfo = (list: readonly RoomMemberRecord[], now: number): RoomMemberInfo[] => list.map((m) => memberInfo(m, now));

export const roomDetails = (r: RoomSummary): RoomDetails => ({ ...roomInfo(r), ...r.settings });

export const messageView = (m: StoredRoomMessage): RoomMessage => ({
  seq: m.seq,
  id: m.id,
  name: m.name,
  text: m.text,
  sentAt: m.sentAt,
  ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
  kind: m.kind ?? 'member',
});
