/**
 * Topic rooms in this process (the single-node default). Every method runs
 * synchronously to completion, so each step is atomic. A room keeps its last
 * RECENT_MESSAGES messages.
 */
import { Budgets } from './message-budgets';
import type { MemoryRoomOutbox } from './room-outbox';
import type { RoomSettings } from '../../protocol';
import {
  applyReaction,
  byActivity,
  DEFAULT_EMPTY_TTL_MS,
  DEFAULT_ROOM_SETTINGS,
  DEFAULT_RETENTION_MS,
  RECENT_MESSAGES,
  ROOM_CLIENT_ID_WINDOW_MS,
  roomEpoch,
  type AppendedRoomMessage,
  type AppendRefusal,
  type DepartedMember,
  type GrantedRole,
  type HistoryPage,
  type HistoryQuery,
  type MessageEdit,
  type NewRoomMessage,
  type PinRecord,
  type PinRequest,
  type PinResult,
  pinsInForce,
  type ReactRequest,
  type ReactResult,
  type OwnMessageChange,
  type OwnMessageGuard,
  type RoomJoinRequest,
  type MembershipResult,
  type RoomMemberRecord,
  type RoomRecord,
  type RoomsStore,
  type RoomSummary,
  type StoredRoomMessage,
  type SystemRoomMessage,
} from '../rooms-store';

interface Room {
  record: RoomRecord;
  members: Map<string, RoomMemberRecord>;
  /** Kicked user id → barred until (epoch ms). */
  kicked: Map<string, number>;
  lastSeq: number;
  /** Sends by "<user>\n<clientId>", kept ROOM_CLIENT_ID_WINDOW_MS. */
  sent: Map<string, { message: StoredRoomMessage; until: number }>;
  /** Oldest first; deleted messages are kept as tombstones so seqs stay gapless. */
  messages: (StoredRoomMessage & { deleted?: boolean })[];
  /** Pinned seq → pin (expired ones leave at the next pin). */
  pins: Map<number, PinRecord>;
  /** When upkeep first found the room without members (rooms users created only). */
  emptySince?: number;
  settings: RoomSettings;
  /** Co-hosts' user ids: the role outlives leaving. */
  cohosts: Set<string>;
  /** User id → muted until (epoch ms): the mute outlives leaving. */
  mutes: Map<string, number>;
  /** User id → when its last message was stored (read by slow mode only). */
  lastSent: Map<string, number>;
}

const copy = (m: RoomMemberRecord): RoomMemberRecord => ({ ...m });
const visible = (m: StoredRoomMessage & { deleted?: boolean }): StoredRoomMessage => {
  const { deleted: _deleted, reactions, ...message } = m;
  return reactions ? { ...message, reactions: reactions.map(([e, users]) => [e, [...users]]) } : message;
};

export class MemoryRoomsStore implements RoomsStore {
  private readonly rooms = new Map<string, Room>();
  /** Room-message budgets by member and room. */
  private readonly budgets = new Budgets();
  /** User id → codes of its rooms. */
  private readonly byUser = new Map<string, Set<string>>();

  private readonly recentCap: number;
  private readonly retentionMs: number;
  private readonly emptyTtlMs: number;
  private readonly log: MemoryRoomOutbox | undefined;

  constructor(options: { log?: MemoryRoomOutbox; recentCap?: number; retentionMs?: number; emptyTtlMs?: number } = {}) {
    this.recentCap = options.recentCap ?? RECENT_MESSAGES;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.emptyTtlMs = options.emptyTtlMs ?? DEFAULT_EMPTY_TTL_MS;
    this.log = options.log;
  }

  /**
   * Upkeep: messages older than the retention leave; a room a user created
   * goes once it has been empty for the empty-room time (counted from the
   * first upkeep that found it empty).
   */
  prune(now: number): void {
    for (const [code, room] of this.rooms) {
      this.dropBefore(room, now - this.retentionMs);
      for (const [key, { until }] of room.sent) if (until <= now) room.sent.delete(key);
      for (const [userId, at] of room.lastSent) if (at + room.settings.slowModeS * 1000 <= now) room.lastSent.delete(userId);
      if (room.members.size > 0 || room.record.hostId === null) delete room.emptySince;
      else if (room.emptySince === undefined) room.emptySince = now;
      else if (now - room.emptySince >= this.emptyTtlMs) this.rooms.delete(code);
    }
  }

  private dropBefore(room: Room, cutoff: number): void {
    const keep = room.messages.findIndex((m) => m.sentAt >= cutoff);
    if (keep !== 0) room.messages.splice(0, keep < 0 ? room.messages.length : keep);
  }

  private summary(room: Room): RoomSummary {
    const newest = room.messages[room.messages.length - 1]?.sentAt ?? 0;
    return { ...room.record, members: room.members.size, lastActiveAt: Math.max(room.record.createdAt, newest), settings: { ...room.settings } };
  }

  private list(room: Room): RoomMemberRecord[] {
    return [...room.members.values()].map(copy);
  }

  async createRoom(record: RoomRecord): Promise<boolean> {
    if (!this.put(record, 0, [])) return false;
    this.log?.append({ kind: 'room', room: { ...record } });
    return true;
  }

  private put(record: RoomRecord, lastSeq: number, pins: readonly PinRecord[]): boolean {
    if (this.rooms.has(record.code)) return false;
    this.rooms.set(record.code, {
      record: { ...record },
      members: new Map(),
      kicked: new Map(),
      lastSeq,
      messages: [],
      sent: new Map(),
      settings: { ...DEFAULT_ROOM_SETTINGS },
      cohosts: new Set(),
      mutes: new Map(),
      lastSent: new Map(),
      pins: new Map(pins.map((p) => [p.seq, { ...p }])),
    });
    return true;
  }

  async getRoom(code: string): Promise<RoomSummary | null> {
    const room = this.rooms.get(code);
    return room ? this.summary(room) : null;
  }

  async listPublic(): Promise<RoomSummary[]> {
    return (await this.listAll()).filter((room) => room.visibility === 'public');
  }

  async listAll(): Promise<RoomSummary[]> {
    return [...this.rooms.values()].map((room) => this.summary(room)).sort(byActivity);
  }

  async removeRoom(code: string): Promise<RoomMemberRecord[] | null> {
    const room = this.rooms.get(code);
    if (!room) return null;
    const members = this.list(room);
    for (const m of members) this.remove(room, m.userId);
    this.rooms.delete(code);
    return members;
  }

  async join(r: RoomJoinRequest): Promise<MembershipResult> {
    const room = this.rooms.get(r.code);
    if (!room) return { kind: 'not-found' };
    const nameTaken = (userId: string) =>
      [...room.members.values()].some((m) => m.userId !== userId && m.name.toLowerCase() === r.name.toLowerCase());
    const existing = room.members.get(r.userId);
    if (existing) {
      if (!r.keepName && existing.name !== r.name) {
        if (nameTaken(r.userId)) return { kind: 'name-taken' };
        existing.name = r.name;
      }
      Object.assign(existing, { sid: r.sid, node: r.node, awayUntil: 0 });
      return { kind: 'rejoined', member: copy(existing), members: this.list(room) };
    }
    const barredUntil = room.kicked.get(r.userId) ?? 0;
    if (barredUntil > r.now) return { kind: 'kicked' };
    room.kicked.delete(r.userId);
    if (room.members.size >= r.maxMembers) return { kind: 'full' };
    const mine = this.byUser.get(r.userId) ?? new Set<string>();
    if (mine.size >= r.maxRooms) return { kind: 'too-many-rooms' };
    if (nameTaken(r.userId)) return { kind: 'name-taken' };
    const host = room.record.hostId === r.userId;
    const member: RoomMemberRecord = {
      userId: r.userId,
      name: r.name,
      host,
      role: host ? 'host' : room.cohosts.has(r.userId) ? 'cohost' : 'member',
      mutedUntil: room.mutes.get(r.userId) ?? 0,
      joinedAt: r.now,
      node: r.node,
      sid: r.sid,
      awayUntil: 0,
    };
    room.members.set(r.userId, member);
    mine.add(r.code);
    this.byUser.set(r.userId, mine);
    return { kind: 'joined', member: copy(member), members: this.list(room) };
  }

  private remove(room: Room, userId: string): DepartedMember | null {
    const member = room.members.get(userId);
    if (!member) return null;
    room.members.delete(userId);
    const mine = this.byUser.get(userId);
    mine?.delete(room.record.code);
    if (mine?.size === 0) this.byUser.delete(userId);
    return { code: room.record.code, member: copy(member), members: this.list(room) };
  }

  async leave(code: string, userId: string): Promise<DepartedMember | null> {
    const room = this.rooms.get(code);
    return room ? this.remove(room, userId) : null;
  }

  async kick(code: string, name: string, until: number, now: number): Promise<DepartedMember | null> {
    const room = this.rooms.get(code);
    if (!room) return null;
    const member = [...room.members.values()].find((m) => m.name.toLowerCase() === name.toLowerCase());
    if (!member) return null;
    for (const [userId, barred] of room.kicked) if (barred <= now) room.kicked.delete(userId);
    room.kicked.set(member.userId, until);
    return this.remove(room, member.userId);
  }

  async member(code: string, userId: string): Promise<RoomMemberRecord | null> {
    const member = this.rooms.get(code)?.members.get(userId);
    return member ? copy(member) : null;
  }

  async members(code: string): Promise<RoomMemberRecord[]> {
    const room = this.rooms.get(code);
    return room ? this.list(room) : [];
  }

  async userRooms(userId: string): Promise<string[]> {
    return [...(this.byUser.get(userId) ?? [])];
  }

  async append(code: string, userId: string, { clientId, budget, ...message }: NewRoomMessage): Promise<AppendedRoomMessage | AppendRefusal | null> {
    // A budget per member and room, as under the room's own tag in Redis.
    const retryAfterMs = budget ? this.budgets.spend(`${code}\n${userId}`, budget, message.sentAt) : 0;
    if (retryAfterMs > 0) return { refused: 'rate-limited', retryAfterMs };
    const room = this.rooms.get(code);
    const member = room?.members.get(userId);
    if (!room || !member) return null;
    const sentKey = `${userId}\n${clientId}`;
    const earlier = clientId ? room.sent.get(sentKey) : undefined;
    if (earlier && earlier.until > message.sentAt) return { ...earlier.message, duplicate: true };
    if (member.mutedUntil > message.sentAt) return { refused: 'muted', until: member.mutedUntil };
    if (room.settings.slowModeS > 0 && member.role === 'member') {
      const next = (room.lastSent.get(userId) ?? 0) + room.settings.slowModeS * 1000;
      if (next > message.sentAt) return { refused: 'slow-mode', retryAfterMs: next - message.sentAt };
      room.lastSent.set(userId, message.sentAt);
    }
    const stored = this.store(room, { from: userId, name: member.name, ...message, ...(member.host ? { kind: 'host' as const } : {}) });
    if (clientId) room.sent.set(sentKey, { message: { ...stored }, until: message.sentAt + ROOM_CLIENT_ID_WINDOW_MS });
    return { ...stored };
  }

  async announce(code: string, message: SystemRoomMessage): Promise<StoredRoomMessage | null> {
    const room = this.rooms.get(code);
    return room ? { ...this.store(room, { from: '', name: '', ...message, kind: 'system' }) } : null;
  }

  /** Gives the message the room's next seq, keeps it in the window and logs it. */
  private store(room: Room, message: Omit<StoredRoomMessage, 'seq' | 'epoch'>): StoredRoomMessage {
    const code = room.record.code;
    room.lastSeq += 1;
    const stored: StoredRoomMessage = { seq: room.lastSeq, ...message, epoch: roomEpoch(room.record) };
    room.messages.push(stored);
    if (room.messages.length > this.recentCap) room.messages.splice(0, room.messages.length - this.recentCap);
    this.dropBefore(room, stored.sentAt - this.retentionMs);
    this.log?.append({ kind: 'message', code, message: { ...stored } });
    return stored;
  }

  async setRole(code: string, userId: string, role: GrantedRole): Promise<RoomMemberRecord[] | null> {
    const room = this.rooms.get(code);
    if (!room) return null;
    if (role === 'cohost') room.cohosts.add(userId);
    else room.cohosts.delete(userId);
    const member = room.members.get(userId);
    if (member && !member.host) member.role = role;
    this.log?.append({ kind: 'role', code, userId, role });
    return this.list(room);
  }

  async mute(code: string, userId: string, until: number): Promise<RoomMemberRecord[] | null> {
    const room = this.rooms.get(code);
    if (!room) return null;
    if (until > 0) room.mutes.set(userId, until);
    else room.mutes.delete(userId);
    const member = room.members.get(userId);
    if (member) member.mutedUntil = until;
    this.log?.append({ kind: 'mute', code, userId, until });
    return this.list(room);
  }

  async updateSettings(code: string, patch: Partial<RoomSettings>): Promise<RoomSettings | null> {
    const room = this.rooms.get(code);
    if (!room) return null;
    room.settings = { ...room.settings, ...patch };
    this.log?.append({ kind: 'settings', code, settings: { ...room.settings } });
    return { ...room.settings };
  }

  private live(code: string): StoredRoomMessage[] {
    return (this.rooms.get(code)?.messages ?? []).filter((m) => !m.deleted).map(visible);
  }

  async messagesAfter(code: string, afterSeq: number, limit: number): Promise<StoredRoomMessage[]> {
    return this.live(code)
      .filter((m) => m.seq > afterSeq)
      .slice(0, limit);
  }

  async lastSeq(code: string): Promise<number> {
    return this.rooms.get(code)?.lastSeq ?? 0;
  }

  async recentMessages(code: string, limit: number): Promise<StoredRoomMessage[]> {
    return this.live(code).slice(-limit);
  }

  async history(code: string, query: HistoryQuery): Promise<HistoryPage> {
    const older = this.live(code).filter((m) => m.sentAt >= query.notBefore && (query.before === undefined || m.seq < query.before));
    const room = this.rooms.get(code);
    const oldestKept = room?.messages[0]?.seq ?? (room?.lastSeq ?? 0) + 1;
    return { messages: older.slice(-query.limit), hasMore: older.length > query.limit, oldestKept };
  }

  async deleteMessage(code: string, seq: number): Promise<boolean> {
    const message = this.rooms.get(code)?.messages.find((m) => m.seq === seq && !m.deleted);
    if (!message) return false;
    message.deleted = true;
    delete message.reactions;
    this.log?.append({ kind: 'delete', code, seq });
    return true;
  }

  private liveMessage(code: string, seq: number): (StoredRoomMessage & { deleted?: boolean }) | undefined {
    return this.rooms.get(code)?.messages.find((m) => m.seq === seq && !m.deleted);
  }

  async restoreRoom(record: RoomRecord, lastSeq: number, pins: readonly PinRecord[]): Promise<boolean> {
    return this.put(record, lastSeq, pins);
  }

  async pin(code: string, request: PinRequest, max: number, now: number): Promise<PinResult> {
    const room = this.rooms.get(code);
    const message = this.liveMessage(code, request.seq);
    if (!room || !message) return { kind: 'no-message' };
    const kept = pinsInForce(room.pins.values(), now);
    if (kept.filter((p) => p.seq !== request.seq).length >= max) return { kind: 'too-many' };
    room.pins = new Map(kept.map((p) => [p.seq, p]));
    const pin = { ...request, name: message.name, text: message.text };
    room.pins.set(pin.seq, pin);
    this.log?.append({ kind: 'pin', code, pin: { ...pin } });
    return { kind: 'pinned', pins: pinsInForce(room.pins.values(), now).map((p) => ({ ...p })) };
  }

  async unpin(code: string, seq: number, now: number): Promise<PinRecord[] | null> {
    const room = this.rooms.get(code);
    if (!room?.pins.delete(seq)) return null;
    this.log?.append({ kind: 'unpin', code, seq });
    return this.pins(code, now);
  }

  async pins(code: string, now: number): Promise<PinRecord[]> {
    return pinsInForce(this.rooms.get(code)?.pins.values() ?? [], now).map((p) => ({ ...p }));
  }

  async react(code: string, { seq, userId, emoji, on, maxEmoji }: ReactRequest): Promise<ReactResult> {
    const message = this.liveMessage(code, seq);
    if (!message) return { kind: 'no-message' };
    const before = message.reactions ?? [];
    const after = applyReaction(before, userId, emoji, on, maxEmoji);
    if (after === 'too-many') return { kind: 'too-many' };
    if (after === null) return { kind: 'unchanged', reactions: visible(message).reactions ?? [] };
    if (after.length > 0) message.reactions = after;
    else delete message.reactions;
    this.log?.append({ kind: 'react', code, seq, emoji, userId, on });
    return { kind: 'changed', reactions: visible(message).reactions ?? [] };
  }

  async deleteOwnMessage(code: string, seq: number, guard: OwnMessageGuard): Promise<OwnMessageChange> {
    const found = this.own(code, seq, guard);
    if (found.kind !== 'done') return found;
    await this.deleteMessage(code, seq);
    return { kind: 'done', message: undefined };
  }

  async editMessage(code: string, seq: number, edit: MessageEdit, guard: OwnMessageGuard): Promise<OwnMessageChange<StoredRoomMessage>> {
    const found = this.own(code, seq, guard);
    if (found.kind !== 'done') return found;
    const message = found.message;
    message.text = edit.text;
    message.editedAt = edit.editedAt;
    if (edit.mentions?.length) message.mentions = [...edit.mentions];
    else delete message.mentions;
    this.log?.append({ kind: 'edit', code, seq, ...edit });
    return { kind: 'done', message: visible(message) };
  }

  /** The live message at `seq` when the guard allows changing it. */
  private own(code: string, seq: number, guard: OwnMessageGuard): OwnMessageChange<StoredRoomMessage & { deleted?: boolean }> {
    const message = this.liveMessage(code, seq);
    if (!message) return { kind: 'missing' };
    if (message.from !== guard.userId || message.sentAt < guard.sentSince) return { kind: 'not-allowed' };
    return { kind: 'done', message };
  }

  async attach(userId: string, sid: string, node: string): Promise<string[]> {
    const codes = await this.userRooms(userId);
    for (const code of codes) {
      const member = this.rooms.get(code)?.members.get(userId);
      if (member) Object.assign(member, { sid, node, awayUntil: 0 });
    }
    return codes;
  }

  async detach(userId: string, sid: string, until: number): Promise<void> {
    for (const code of await this.userRooms(userId)) {
      const member = this.rooms.get(code)?.members.get(userId);
      if (member && member.sid === sid) member.awayUntil = until;
    }
  }

  private departAll(pick: (m: RoomMemberRecord) => boolean): DepartedMember[] {
    const out: DepartedMember[] = [];
    for (const room of this.rooms.values()) {
      for (const member of [...room.members.values()]) {
        if (!pick(member)) continue;
        const departed = this.remove(room, member.userId);
        if (departed) out.push(departed);
      }
    }
    return out;
  }

  async expireAway(now: number): Promise<DepartedMember[]> {
    this.budgets.prune(now);
    return this.departAll((m) => m.awayUntil > 0 && m.awayUntil <= now);
  }

  async sweepNode(node: string): Promise<DepartedMember[]> {
    return this.departAll((m) => m.node === node);
  }
}
