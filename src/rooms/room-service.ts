/**
 * The rules of topic rooms: who may join, speak, moderate; presence that
 * survives a blip; history windows. Plain code over a store, a clock and a
 * notifier: no transport here.
 *
 * This is the face the handlers use. Membership, messages, sync, history and
 * the lists are here; each other feature is a part beside it, over the same
 * deps, reached through a field: moderation (room-moderation.ts), pins and
 * reactions (room-marks.ts), edits and deletions (room-edits.ts), backstages
 * (room-backstage.ts), read positions (room-unread.ts), presence across
 * connections (room-presence.ts); rooms put back after a Redis loss
 * (room-restore.ts) and the cached public list (room-list.ts) serve it.
 */
import { ClientError } from '../errors';
import type {
  RoomCreatePayload,
  RoomHistoryPage,
  RoomInfo,
  RoomJoinPayload,
  RoomJoinResult,
  RoomListPage,
  RoomMessage,
  SyncResult,
} from '../protocol';
import { roomEpoch, type MembershipResult } from '../store/rooms-store';
import { startAfter } from '../store/stream-epoch';
import { historyPage } from './history-page';
import { mentionedMembers } from './mentions';
import type { RoomPolicy } from './ports';
import { RoomBackstage } from './room-backstage';
import { enterRoom } from './room-entry';
import type { RoomServiceDeps } from './room-deps';
import { RoomEdits } from './room-edits';
import { PublicRoomList } from './room-list';
import { RoomMarks } from './room-marks';
import { RoomModerators } from './room-moderation';
import { announceDeparture } from './room-notices';
import { checkText, notInRoom, refusalError, REFUSALS } from './room-refusals';
import { RoomPresence } from './room-presence';
import { RoomRestore } from './room-restore';
import { RoomUnread, unreadOf } from './room-unread';
import { memberInfo, membersInfo, messageView, pinView, roomInfo } from './views';

export type { RoomServiceDeps } from './room-deps';

/** Messages a `room-join` returns without `sinceSeq`. */
export const JOIN_MESSAGES = 50;
/** Most messages a `room-join` with `sinceSeq` returns. */
export const SINCE_MESSAGES = 500;
const DAY_MS = 86_400_000;

/** Who reads a room's history: an identity (null without a valid token) or an operator. */
export type HistoryReader = { userId: string | null } | 'operator';
export class RoomService {
  private readonly publicList: PublicRoomList;
  private readonly restorer: RoomRestore;
  /** `room-backstage`, and who may enter a backstage. */
  readonly backstage: RoomBackstage;
  /** `room-role`, `room-mute`, `room-settings`, and who may moderate. */
  readonly moderators: RoomModerators;
  /** `room-pin`, `room-unpin`, `room-react`. */
  readonly marks: RoomMarks;
  /** `room-edit`, `room-delete-message`, and an operator removing a message. */
  readonly edits: RoomEdits;
  /** `room-read`, and the unread counts sent at connect. */
  readonly unread: RoomUnread;
  /** Connections coming and going, and members leaving once their grace ends. */
  readonly presence: RoomPresence;

  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly policy: RoomPolicy,
  ) {
    this.restorer = new RoomRestore(deps, policy);
    this.backstage = new RoomBackstage(deps, this.restorer);
    this.moderators = new RoomModerators(deps, this.backstage);
    this.marks = new RoomMarks(deps, policy, this.moderators);
    this.edits = new RoomEdits(deps, policy, this.marks);
    this.unread = new RoomUnread(deps);
    this.presence = new RoomPresence(deps, policy, this.backstage);
    this.publicList = new PublicRoomList(deps, policy);
  }

  /** See RoomRestore.ensurePublicRooms. */
  ensurePublicRooms(codes: readonly string[]): Promise<void> {
    return this.restorer.ensurePublicRooms(codes);
  }

  /** Creates a room; its creator joins it as host, under a generated name. */
  async create(userId: string, sid: string, payload: RoomCreatePayload, entered?: (code: string) => Promise<void>): Promise<RoomInfo> {
    if ((await this.deps.store.userRooms(userId)).length >= this.policy.roomsPerUser) throw new ClientError('TOO_MANY_ROOMS');
    const code = this.deps.newCode();
    const record = {
      code,
      title: payload.title,
      topic: payload.topic ?? null,
      visibility: payload.visibility,
      createdAt: this.deps.clock.now(),
      hostId: userId,
    };
    if (!(await this.deps.store.createRoom(record))) throw new Error('room code collision');
    this.publicList.forget();
    await this.join(userId, sid, { code }, entered && (() => entered(code)));
    return roomInfo((await this.deps.store.getRoom(code))!);
  }

  /**
   * Enters a room. `entered` runs once the membership is stored and before
   * anything is announced or read: the caller subscribes the connection
   * there, so a refused join (kicked, full, unknown) never subscribes, and
   * every message is in the result or delivered live.
   */
  async join(userId: string, sid: string, payload: RoomJoinPayload, entered?: () => Promise<void>): Promise<RoomJoinResult> {
    const { store, clock } = this.deps;
    let admitted = await this.backstage.admit(userId, payload.code);
    // In a backstage one goes by one's name in the main room unless one asks for another.
    const entering = () => enterRoom(this.deps, this.policy, userId, sid, admitted && payload.name === undefined ? { ...payload, name: admitted.name } : payload);
    let result = await entering();
    // Unknown here but kept by PostgreSQL: Redis lost it. Put back, it may turn out a backstage: asked again.
    if (result.kind === 'not-found' && (await this.restorer.restore(payload.code))) {
      admitted = await this.backstage.admit(userId, payload.code);
      result = await entering();
    }
    const backstageOf = admitted?.parent ?? null;
    if (result.kind !== 'joined' && result.kind !== 'rejoined') throw REFUSALS[result.kind];
    await entered?.();
    const now = clock.now();
    const members = membersInfo(result.members, now);
    const you = memberInfo(result.member, now);
    if (result.kind === 'joined') this.deps.notifier.presence({ code: payload.code, members, joined: you });
    const room = await store.getRoom(payload.code);
    if (!room) throw REFUSALS['not-found'];
    const epoch = roomEpoch(room);
    // Another epoch than the client's: what it holds is of an earlier room under this code.
    const since = startAfter({ epoch: payload.epoch, seq: payload.sinceSeq }, epoch);
    const [stored, lastSeq, pins, readBefore] = await Promise.all([
      since !== undefined ? store.messagesAfter(payload.code, since, SINCE_MESSAGES) : store.recentMessages(payload.code, JOIN_MESSAGES),
      store.lastSeq(payload.code),
      store.pins(payload.code, clock.now()),
      this.deps.reads.readSeq(userId, payload.code),
    ]);
    // A new member has read what was said before it came.
    const readSeq = result.kind === 'joined' ? (await this.deps.reads.markRead(userId, payload.code, lastSeq, clock.now())).readSeq : readBefore;
    const unread = unreadOf(lastSeq, readSeq);
    let messages = stored.map((m) => messageView(m, userId));
    // The window lacks what PostgreSQL keeps (as in a room put back after a Redis loss): the last page comes from there.
    if (since === undefined && this.deps.archive && stored.length < JOIN_MESSAGES && (stored[0]?.seq ?? lastSeq + 1) > 1) {
      messages = (await this.history(payload.code, undefined, JOIN_MESSAGES, { userId }))?.messages ?? messages;
    }
    const joined = { room: roomInfo(room), you, members, messages, epoch, lastSeq, unread, readSeq, pins: pins.map(pinView), ...room.settings };
    return backstageOf !== null ? { ...joined, backstageOf } : joined;
  }

  /** `sync` of a room: what a member's stream lacks after `afterSeq` (see SyncPayload). */
  async sync(userId: string, code: string, afterSeq: number, epoch: string | undefined, limit: number): Promise<SyncResult<RoomMessage>> {
    const { store } = this.deps;
    if (!(await store.member(code, userId))) throw await notInRoom(this.deps, code);
    const room = await store.getRoom(code);
    if (!room) throw REFUSALS['not-found'];
    const current = roomEpoch(room);
    const after = startAfter({ epoch, seq: afterSeq }, current) ?? 0;
    const [stored, lastSeq] = await Promise.all([store.messagesAfter(code, after, limit + 1), store.lastSeq(code)]);
    return { epoch: current, lastSeq, messages: stored.slice(0, limit).map((m) => messageView(m, userId)), hasMore: stored.length > limit };
  }

  async isMember(userId: string, code: string): Promise<boolean> {
    return (await this.deps.store.member(code, userId)) !== null;
  }

  async leave(userId: string, code: string): Promise<void> {
    const departed = await this.deps.store.leave(code, userId);
    if (!departed) throw new ClientError('NOT_IN_ROOM');
    this.deps.notifier.left(userId, code);
    announceDeparture(this.deps, departed);
    await this.backstage.leave(userId, code);
  }

  /** Leaves every room the user is in (a ban, a deleted identity). */
  async leaveAll(userId: string): Promise<void> {
    for (const code of await this.deps.store.userRooms(userId)) await this.leave(userId, code).catch(() => undefined);
  }

  /** A deleted identity: out of every room, and its read positions forgotten. */
  async deleteIdentity(userId: string): Promise<void> {
    await this.leaveAll(userId);
    await this.deps.reads.forget(userId);
  }

  /**
   * Stores and announces a message; a `clientId` the member used in this room
   * already answers the earlier message, announcing nothing. Each member the
   * text mentions (`@name`) is told on every connection (`room-mention`).
   */
  async message(
    userId: string,
    code: string,
    text: string,
    replyTo?: number,
    clientId?: string,
  ): Promise<{ seq: number; id: string; sentAt: number; text: string; kind?: 'host' }> {
    checkText(text, this.policy.maxMessageLength);
    // Only a text with an @ costs a read of the members.
    const members = text.includes('@') ? await this.deps.store.members(code) : [];
    const mentioned = mentionedMembers(text, members, userId);
    const { roomMessageRateLimit: points, roomMessageRateWindowMs: windowMs } = this.policy;
    const draft = {
      id: this.deps.newMessageId(),
      text,
      sentAt: this.deps.clock.now(),
      ...(clientId ? { clientId } : {}),
      ...(mentioned.length > 0 ? { mentions: mentioned.map((m) => m.name) } : {}),
      ...(points !== undefined && windowMs !== undefined ? { budget: { points, windowMs } } : {}),
    };
    const stored = await this.deps.store.append(code, userId, replyTo !== undefined ? { ...draft, replyTo } : draft);
    // Stored, and (with PostgreSQL) logged for the archiver in the same step.
    if (!stored) throw await notInRoom(this.deps, code);
    if ('refused' in stored) throw refusalError(stored, draft.sentAt);
    if (!stored.duplicate) {
      this.deps.notifier.message({ code, epoch: stored.epoch ?? '', ...messageView(stored) }, userId);
      for (const member of mentioned) this.deps.notifier.mentioned(member.userId, { code, seq: stored.seq, name: stored.name, text: stored.text });
    }
    return { seq: stored.seq, id: stored.id, sentAt: stored.sentAt, text: stored.text, ...(stored.kind === 'host' ? { kind: stored.kind } : {}) };
  }

  async typing(userId: string, code: string, isTyping: boolean): Promise<void> {
    const member = await this.deps.store.member(code, userId);
    if (!member) throw await notInRoom(this.deps, code);
    this.deps.notifier.typing({ code, name: member.name, isTyping }, userId);
  }

  /** The host or a co-host removes a member (a co-host only a plain member); a kicked co-host loses the role. */
  async kick(userId: string, code: string, name: string): Promise<void> {
    const target = await this.moderators.moderatedMember(userId, code, name, 'kick');
    const now = this.deps.clock.now();
    const departed = await this.deps.store.kick(code, name, now + this.policy.roomKickMs, now);
    if (!departed) throw new ClientError('NOT_IN_ROOM', 'No member of the room has that name.');
    if (target.role === 'cohost') await this.deps.store.setRole(code, target.userId, 'member');
    this.deps.notifier.kicked(departed.member.userId, code);
    announceDeparture(this.deps, departed);
    // A kicked member's invitation goes with it.
    await this.deps.backstageRecord?.uninvite(code, target.userId);
    await this.deps.backstages.uninvite(code, target.userId);
    await this.backstage.leave(target.userId, code);
  }

  /** Public rooms: most members first, then the most recently active. */
  list(): Promise<RoomInfo[]> {
    return this.publicList.list();
  }

  /** One page of the public list, from this node's copy. */
  listPage(offset: number, limit: number): Promise<RoomListPage> {
    return this.publicList.page(offset, limit);
  }

  /** Every room, public and private, for operators. */
  async listAll(): Promise<RoomInfo[]> {
    return (await this.deps.store.listAll()).map(roomInfo);
  }

  /** An operator removes a room: its members are told and it is gone, and out of its backstage. False when there is no such room. */
  async remove(code: string): Promise<boolean> {
    const members = await this.deps.store.removeRoom(code);
    if (!members) return false;
    this.publicList.forget();
    for (const m of members) this.deps.notifier.removed(m.userId, code);
    for (const m of members) await this.backstage.leave(m.userId, code).catch(() => undefined);
    return true;
  }

  /** A room's facts; a backstage's only for its members (and operators): null for anyone else, as for no room. */
  async info(code: string, reader: HistoryReader = 'operator'): Promise<RoomInfo | null> {
    const room = await this.deps.store.getRoom(code);
    if (!room || (reader !== 'operator' && !(await this.backstage.sees(reader.userId, room)))) return null;
    return roomInfo(room);
  }

  /**
   * A page of the room's history within ROOM_HISTORY_DAYS; null when the room
   * is unknown. A private room's history is for its current members (a kicked
   * member is none) and operators: anyone else gets NOT_IN_ROOM.
   */
  async history(code: string, before: number | undefined, limit: number, reader: HistoryReader): Promise<RoomHistoryPage | null> {
    const room = await this.deps.store.getRoom(code);
    if (!room) return null;
    if (room.visibility === 'private' && reader !== 'operator' && (reader.userId === null || !(await this.isMember(reader.userId, code)))) {
      // A backstage is no room at all to anyone outside it.
      if ((await this.deps.backstages.parentOf(code)) !== null) return null;
      throw new ClientError('NOT_IN_ROOM');
    }
    const notBefore = this.deps.clock.now() - this.policy.roomHistoryDays * DAY_MS;
    const viewerId = reader === 'operator' ? null : reader.userId;
    return historyPage(this.deps.store, this.deps.archive, code, { ...(before !== undefined ? { before } : {}), limit, notBefore }, viewerId);
  }
}
