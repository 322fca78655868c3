/** Decoding the rooms store's replies: member JSON and stored message JSON. */
import type { MessageEdit, RoomMemberRecord, StoredRoomMessage } from '../rooms-store';

export type RoomReply = string | number | null | RoomReply[];

interface MemberJson {
  userId: string;
  name: string;
  host: boolean;
  joinedAt: string;
  node: string;
  sid: string;
  awayUntil: string;
  n: number;
}

export function parseMember(raw: string): RoomMemberRecord & { n: number } {
  const m = JSON.parse(raw) as MemberJson;
  return {
    userId: m.userId,
    name: m.name,
    host: m.host === true,
    joinedAt: Number(m.joinedAt),
    node: m.node,
    sid: m.sid,
    awayUntil: Number(m.awayUntil),
    n: m.n,
  };
}

/** Members in the order they joined. */
export function parseMembers(raws: RoomReply[]): RoomMemberRecord[] {
  return raws
    .map((raw) => parseMember(String(raw)))
    .sort((a, b) => a.n - b.n)
    .map(({ n: _n, ...member }) => member);
}

interface MessageJson {
  deleted?: boolean;
  id: string;
  from: string;
  name: string;
  text: string;
  sentAt: string;
  replyTo?: string;
  e?: string;
  /** editedAt */
  ed?: string;
  /** mentions (cjson writes an empty table as {}: only arrays count) */
  mn?: unknown;
}

/** The mentions of a stored JSON field, when it holds some. */
export const mentionsOf = (mn: unknown): string[] | undefined => (Array.isArray(mn) && mn.length > 0 ? mn.map(String) : undefined);

export function parseMessage(raw: string, seq: number): (StoredRoomMessage & { deleted?: boolean }) | null {
  const m = JSON.parse(raw) as MessageJson;
  if (m.deleted) return null;
  const message: StoredRoomMessage = { seq, id: m.id, from: m.from, name: m.name, text: m.text, sentAt: Number(m.sentAt) };
  if (m.e) message.epoch = m.e;
  if (m.replyTo !== undefined) message.replyTo = Number(m.replyTo);
  if (m.ed !== undefined) message.editedAt = Number(m.ed);
  const mentions = mentionsOf(m.mn);
  if (mentions) message.mentions = mentions;
  return message;
}

/** An edit as room-edit-2.lua publishes it (`{ text, ed, mn? }`). */
export function parseEdit(raw: string): MessageEdit {
  const m = JSON.parse(raw) as { text: string; ed: string; mn?: unknown };
  const mentions = mentionsOf(m.mn);
  return { text: m.text, editedAt: Number(m.ed), ...(mentions ? { mentions } : {}) };
}
