/** Decoding the rooms store's replies: member JSON and stored message JSON. */
import type { RoomMemberRecord, StoredRoomMessage } from '../rooms-store';

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

export function parseMessage(raw: string, seq: number): (StoredRoomMessage & { deleted?: boolean }) | null {
  const m = JSON.parse(raw) as { deleted?: boolean; id: string; from: string; name: string; text: string; sentAt: string; replyTo?: string; e?: string; k?: string };
  if (m.deleted) return null;
  const message: StoredRoomMessage = { seq, id: m.id, from: m.from, name: m.name, text: m.text, sentAt: Number(m.sentAt) };
  if (m.e) message.epoch = m.e;
  if (m.k === 'h') message.kind = 'host';
  else if (m.k === 's') message.kind = 'system';
  if (m.replyTo !== undefined) message.replyTo = Number(m.replyTo);
  return message;
}
