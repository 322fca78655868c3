/** Store records as clients see them: no user ids, no connection details. */
import type { RoomInfo, RoomMemberInfo, RoomMessage, RoomMessageEditedEvent } from '../protocol';
import type { MessageEdit, RoomMemberRecord, RoomSummary, StoredRoomMessage } from '../store/rooms-store';

export const roomInfo = (r: RoomSummary): RoomInfo => ({
  code: r.code,
  title: r.title,
  topic: r.topic,
  visibility: r.visibility,
  members: r.members,
  createdAt: r.createdAt,
  lastActiveAt: r.lastActiveAt,
});

export const memberInfo = (m: RoomMemberRecord): RoomMemberInfo => ({ name: m.name, host: m.host });

export const messageView = (m: StoredRoomMessage): RoomMessage => ({
  seq: m.seq,
  id: m.id,
  name: m.name,
  text: m.text,
  sentAt: m.sentAt,
  ...(m.replyTo !== undefined ? { replyTo: m.replyTo } : {}),
  ...(m.editedAt !== undefined ? { editedAt: m.editedAt } : {}),
  ...(m.mentions?.length ? { mentions: [...m.mentions] } : {}),
});

/** An edit as members receive it (`room-message-edited`). */
export const editedView = (code: string, seq: number, edit: MessageEdit): RoomMessageEditedEvent => ({
  code,
  seq,
  text: edit.text,
  editedAt: edit.editedAt,
  ...(edit.mentions?.length ? { mentions: [...edit.mentions] } : {}),
});
