/** Decoding the Redis store's script replies into the store's types. */
import type { DropKind, DropResult, PairRefusal, UserRecord, UserState } from '../match-store';

/** commit-pair-2.lua's negative codes. */
export const PAIR_REFUSALS: Record<number, PairRefusal> = {
  [-1]: 'a-unavailable',
  [-2]: 'b-unavailable',
  [-3]: 'cooldown',
  [-4]: 'rematch',
  [-5]: 'self',
  [-6]: 'blocked',
};

export function toDrop(kind: unknown, partnerId: unknown, roomId: unknown, mode?: unknown): DropResult {
  const result: DropResult = { kind: String(kind) as DropKind };
  if (partnerId) result.partnerId = String(partnerId);
  if (roomId) result.roomId = String(roomId);
  if (mode === 'video') result.mode = 'video';
  return result;
}

export function toUserRecord(h: Record<string, string>): UserRecord {
  const state = (h.state as UserState | undefined) ?? 'idle';
  const record: UserRecord = { state, cooldownUntil: Number(h.cooldown ?? 0) };
  if (h.interests) record.interests = JSON.parse(h.interests) as string[];
  if (h.since) record.since = Number(h.since);
  if (state === 'waiting') {
    record.active = h.active === '1';
    record.open = h.open === '1';
    record.anyLanguage = h.anylang === '1';
  }
  if (h.langs) record.languages = JSON.parse(h.langs) as string[];
  if (h.anyafter) record.anyLanguageAfterMs = Number(h.anyafter);
  if (h.mode === 'video') record.mode = 'video';
  if (h.room) record.roomId = h.room;
  if (h.partner) record.partnerId = h.partner;
  if (h.last) record.lastPartnerId = h.last;
  if (h.lastroom) record.lastRoomId = h.lastroom;
  if (h.ended) record.lastEndedAt = Number(h.ended);
  if (h.sid) record.sid = h.sid;
  if (h.node) record.node = h.node;
  if (h.away) record.away = Number(h.away);
  return record;
}

