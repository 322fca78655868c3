/** Store records as clients see them: no user ids, no connection details. */
import type { RoomDetails, RoomInfo, RoomMemberInfo, RoomMessage, RoomMessageEditedEvent, RoomNotice, RoomPin } from '../protocol';
import type { MessageEdit, PinRecord, RoomMemberRecord, RoomSummary, StoredRoomMessage } from '../store/rooms-store';
import { reactionsView } from './reactions';
import { noticeOf } from './announcements';

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

/**
 * A message as one reader sees it. Reactions (with the reader's own marked)
 * come only with a reader: `viewerId` is the reader's user id, or null for a
 * reader without one (an operator, an anonymous history page). A live
 * `room-message` goes to every member alike, so it has none; its reactions
 * follow in `room-reactions`.
 */
export const messageView = (m: StoredRoomMessage, viewerId?: string | null): RoomMessage => ({
  seq: m.seq,
  id: m.id,
  name: m.name,
  text: m.text,
  sentAt: m.sentAt,
  ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
  kind: m.kind ?? 'member',
  ...(viewerId !== undefined && m.reactions ? { reactions: reactionsView(m.reactions, viewerId) } : {}),
  ...(m.editedAt !== undefined ? { editedAt: m.editedAt } : {}),
  ...(m.mentions?.length ? { mentions: [...m.mentions] } : {}),
  ...(m.kind === 'system' ? noticeField(m.text) : {}),
});

/** A system message's notice, when its text is one the room wrote (see announcements.ts). */
function noticeField(text: string): { notice?: RoomNotice } {
  const notice = noticeOf(text);
  return notice ? { notice } : {};
}

/** An edit as members receive it (`room-message-edited`). */
export const editedView = (code: string, seq: number, edit: MessageEdit): RoomMessageEditedEvent => ({
  code,
  seq,
  text: edit.text,
  editedAt: edit.editedAt,
  ...(edit.mentions?.length ? { mentions: [...edit.mentions] } : {}),
});

export const pinView = (p: PinRecord): RoomPin => ({ seq: p.seq, until: p.until, pinnedAt: p.pinnedAt, by: p.by, name: p.name, text: p.text });
