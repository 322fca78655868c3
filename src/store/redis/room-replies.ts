/** Decoding the rooms store's replies: member JSON and stored message JSON. */
import type { MessageEdit, PinRecord, Reactions, RoomMemberRecord, StoredRoomMessage } from '../rooms-store';

export type RoomReply = string | number | null | RoomReply[];

interface MemberJson {
  userId: string;
  name: string;
  host: boolean;
  /** 'cohost' for a co-host. */
  role?: string;
  /** Muted until (epoch ms). */
  mu?: string;
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
    role: m.host === true ? 'host' : m.role === 'cohost' ? 'cohost' : 'member',
    mutedUntil: Number(m.mu ?? 0),
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
  /** kind: 'h' host, 's' system; absent: a member's */
  k?: string;
  /** reactions */
  rx?: Reactions;
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
  if (m.k === 'h') message.kind = 'host';
  else if (m.k === 's') message.kind = 'system';
  if (m.replyTo !== undefined) message.replyTo = Number(m.replyTo);
  if (m.ed !== undefined) message.editedAt = Number(m.ed);
  const mentions = mentionsOf(m.mn);
  if (mentions) message.mentions = mentions;
  if (Array.isArray(m.rx) && m.rx.length > 0) message.reactions = m.rx;
  return message;
}

/** A message's reactions as room-react-2.lua answers and announces them (Lua encodes an empty list as `{}`). */
export function parseReactions(raw: string): Reactions {
  const list = JSON.parse(raw) as unknown;
  return Array.isArray(list) ? (list as Reactions) : [];
}

interface PinJson {
  seq: number;
  /** The end, 0 for none. */
  u: number;
  at: number;
  by: string;
  name: string;
  text: string;
}

const toPin = (p: PinJson): PinRecord => ({ seq: p.seq, until: p.u > 0 ? p.u : null, pinnedAt: p.at, by: p.by, name: p.name, text: p.text });

export const parsePin = (raw: string): PinRecord => toPin(JSON.parse(raw) as PinJson);

/** A pin as the room scripts keep it. */
export const pinJson = (p: PinRecord): string => JSON.stringify({ seq: p.seq, u: p.until ?? 0, at: p.pinnedAt, by: p.by, name: p.name, text: p.text } satisfies PinJson);

/** A JSON array of pins, as room-pin-3.lua and room-unpin-2.lua answer and announce them (expired ones included). */
export function parsePins(raw: string): PinRecord[] {
  const list = JSON.parse(raw) as unknown;
  return Array.isArray(list) ? (list as PinJson[]).map(toPin) : [];
}

/** An edit as room-edit-2.lua publishes it (`{ text, ed, mn? }`). */
export function parseEdit(raw: string): MessageEdit {
  const m = JSON.parse(raw) as { text: string; ed: string; mn?: unknown };
  const mentions = mentionsOf(m.mn);
  return { text: m.text, editedAt: Number(m.ed), ...(mentions ? { mentions } : {}) };
}
