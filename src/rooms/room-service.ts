/**
 * The rules of topic rooms: who may join, speak, moderate; presence that
 * survives a blip; history windows. Plain code over a store, a clock and a
 * notifier: no transport here.
 */
import { ClientError, muted, rateLimited, slowMode, StoreUnavailableError } from '../errors';
import type { Clock } from '../clock';
import type {
  RoomCreatePayload,
  RoomDetails,
  RoomHistoryPage,
  RoomInfo,
  RoomJoinPayload,
  RoomJoinResult,
  RoomListPage,
  RoomMessage,
  RoomSettings,
  RoomUnreadEvent,
  SyncResult,
} from '../protocol';
import type { RoomModeration, SavedRooms } from '../store/room-archive';
import type { RoomBackstagesStore } from '../store/room-backstages';
import type { RoomReadsStore } from '../store/room-reads';
import {
  roomEpoch,
  type AppendRefusal,
  type DepartedMember,
  type GrantedRole,
  type MembershipResult,
  type OwnMessageGuard,
  type RoomHistory,
  type RoomJoinRefusal,
  type RoomMemberRecord,
  type RoomsStore,
  type RoomSummary,
} from '../store/rooms-store';
import { startAfter } from '../store/stream-epoch';
import { historyPage } from './history-page';
import { roleNews, settingsNews } from './announcements';
import { friendlyName } from './names';
import type { RoomNotifier, RoomPolicy } from './ports';
import { resolveMentions } from './mentions';
import { MAX_EMOJI_PER_MESSAGE, normalizeEmoji } from './reactions';
import { editedView, memberInfo, membersInfo, messageView, pinView, roomDetails, roomInfo } from './views';

/** Messages a `room-join` returns without `sinceSeq`. */
export const JOIN_MESSAGES = 50;
/** Most messages a `room-join` with `sinceSeq` returns. */
export const SINCE_MESSAGES = 500;
/** Longest room title (as `room-create` takes it). */
const TITLE_MAX = 60;
/** Tries at a free generated name before giving up. */
const NAME_TRIES = 8;
const DAY_MS = 86_400_000;

/** Messages after a read position (never below 0: a position past a room made again under the same code). */
const unreadOf = (lastSeq: number, readSeq: number): number => Math.max(0, lastSeq - readSeq);

export interface RoomServiceDeps {
  store: RoomsStore;
  /** Members' read positions (unread counts). */
  reads: RoomReadsStore;
  /** The links between rooms and their backstages, and who the hosts invited (what the rules read). */
  backstages: RoomBackstagesStore;
  /** Set with PostgreSQL: their record, written first and read back when a room is put back after a Redis loss. */
  backstageRecord?: RoomBackstagesStore;
  clock: Clock;
  notifier: RoomNotifier;
  /** A fresh unguessable code (the invite of a private room). */
  newCode: () => string;
  newMessageId: () => string;
  nodeId: string;
  random?: () => number;
  /** Set with PostgreSQL: history older than the store's recent window, and the rooms to put back after a Redis loss. */
  archive?: RoomHistory & SavedRooms;
  /** Set with PostgreSQL: a room's co-hosts, mutes and settings as recorded, taken back when the room is made again (after a Redis loss). */
  recorded?: (code: string, now: number) => Promise<RoomModeration>;
}

const REFUSALS: Record<RoomJoinRefusal, ClientError> = {
  'not-found': new ClientError('ROOM_NOT_FOUND'),
  full: new ClientError('ROOM_FULL'),
  'name-taken': new ClientError('NAME_TAKEN'),
  kicked: new ClientError('KICKED'),
  'too-many-rooms': new ClientError('TOO_MANY_ROOMS'),
};

/** Who reads a room's history: an identity (null without a valid token) or an operator. */
export type HistoryReader = { userId: string | null } | 'operator';
export class RoomService {
  /** This node's copy of the public list, reused for ROOMS_LIST_CACHE_MS. */
  private listed: { at: number; rooms: Promise<RoomInfo[]> } | undefined;

  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly policy: RoomPolicy,
  ) {}

  /**
   * Creates the public rooms of the ROOMS setting that do not exist yet (or
   * puts back those PostgreSQL keeps); one made again (Redis lost it) takes
   * back its co-hosts, mutes and settings from PostgreSQL.
   */
  async ensurePublicRooms(codes: readonly string[]): Promise<void> {
    for (const code of codes) {
      // PostgreSQL away at start: the room is made anew rather than the node not starting.
      if (await this.restore(code).catch(() => false)) continue;
      const room = { code, title: code, topic: code, visibility: 'public' as const, createdAt: this.deps.clock.now(), hostId: null };
      const { recorded, store, clock } = this.deps;
      if ((await store.createRoom(room)) && recorded) await this.takeBack(code, await recorded(code, clock.now()));
    }
  }

  /** Gives a room made again (Redis lost it) its co-hosts, mutes and settings as PostgreSQL recorded them. */
  private async takeBack(code: string, { cohosts, mutes, settings }: RoomModeration): Promise<void> {
    const { store } = this.deps;
    if (settings) await store.updateSettings(code, settings);
    for (const userId of cohosts) await store.setRole(code, userId, 'cohost');
    for (const { userId, until } of mutes) await store.mute(code, userId, until);
  }

  /**
   * Puts back a room Redis lost, as PostgreSQL keeps it: its record, its seq
   * after its last archived message, its pins, its co-hosts, mutes and
   * settings. It is a new stream (its epoch, `createdAt`, is now): what Redis
   * held and PostgreSQL did not yet is gone, so clients drop what they hold
   * and take the server's messages. Never a room that would have expired
   * anyway (a user's room quiet for the empty-room time, which may have been
   * empty that long): false for those, without PostgreSQL, and when
   * PostgreSQL has no such room.
   */
  private async restore(code: string): Promise<boolean> {
    const { archive, store, clock } = this.deps;
    if (!archive) return false;
    const now = clock.now();
    // PostgreSQL away: the client is told to try again (UNAVAILABLE), not that the room does not exist.
    const unavailable = (err: unknown): never => {
      throw new StoreUnavailableError(err);
    };
    const saved = await archive.savedRoom(code).catch(unavailable);
    if (!saved || (saved.room.hostId !== null && now - saved.lastActiveAt >= this.policy.roomEmptyTtlMs)) return false;
    // Everything is read before anything is written: PostgreSQL failing half-way leaves no room without its roles.
    const [pins, kept, links] = await Promise.all([archive.pins(code, now), this.deps.recorded?.(code, now), this.recordedLinks(code)]).catch(
      unavailable,
    );
    // The backstage links first: a backstage is never back without what keeps outsiders out.
    if (links) await this.relink(code, links);
    if ((await store.restoreRoom({ ...saved.room, createdAt: now }, saved.lastSeq, pins)) && kept) await this.takeBack(code, kept);
    return true;
  }

  /** What PostgreSQL records of a room's backstage links: the room it stands beside, its own backstage and who is invited there. */
  private async recordedLinks(code: string): Promise<{ parent: string | null; backstage: string | null; invitees: string[] } | undefined> {
    const record = this.deps.backstageRecord;
    if (!record) return undefined;
    const [parent, backstage, invitees] = await Promise.all([record.parentOf(code), record.backstageOf(code), record.invitees(code)]);
    return { parent, backstage, invitees };
  }

  private async relink(code: string, links: { parent: string | null; backstage: string | null; invitees: string[] }): Promise<void> {
    const { backstages } = this.deps;
    if (links.parent !== null) await backstages.open(links.parent, code);
    if (links.backstage !== null) await backstages.open(code, links.backstage);
    for (const userId of links.invitees) await backstages.invite(code, userId);
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
    this.listed = undefined;
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
    let admitted = await this.admitToBackstage(userId, payload.code);
    // In a backstage one goes by one's name in the main room unless one asks for another.
    const entering = () => this.enter(userId, sid, admitted && payload.name === undefined ? { ...payload, name: admitted.name } : payload);
    let result = await entering();
    // Unknown here but kept by PostgreSQL: Redis lost it. Put back, it may turn out a backstage: asked again.
    if (result.kind === 'not-found' && (await this.restore(payload.code))) {
      admitted = await this.admitToBackstage(userId, payload.code);
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

  /** Stores the membership (a generated name is tried again while taken). */
  private async enter(userId: string, sid: string, payload: RoomJoinPayload): Promise<MembershipResult> {
    const { store, clock, nodeId } = this.deps;
    const chosen = payload.name;
    for (let attempt = 0; ; attempt++) {
      const name = chosen ?? friendlyName(this.deps.random);
      const result = await store.join({
        code: payload.code,
        userId,
        name,
        keepName: chosen === undefined,
        sid,
        node: nodeId,
        now: clock.now(),
        maxMembers: this.policy.roomMaxMembers,
        maxRooms: this.policy.roomsPerUser,
      });
      if (result.kind !== 'name-taken' || chosen !== undefined || attempt >= NAME_TRIES) return result;
    }
  }

  /** Where the user stands in each of the rooms (sent at connect). */
  async unreadCounts(userId: string, codes: readonly string[]): Promise<RoomUnreadEvent[]> {
    const { store, reads } = this.deps;
    return Promise.all(
      codes.map(async (code) => {
        const [lastSeq, readSeq] = await Promise.all([store.lastSeq(code), reads.readSeq(userId, code)]);
        return { code, unread: unreadOf(lastSeq, readSeq), readSeq };
      }),
    );
  }

  /** `room-read`: the member read the room up to `seq` (at most its last seq); every device of the identity is told its new count. */
  async read(userId: string, code: string, seq: number): Promise<void> {
    const { store, reads, clock } = this.deps;
    if (!(await store.member(code, userId))) throw await this.notInRoom(code);
    const lastSeq = await store.lastSeq(code);
    const mark = await reads.markRead(userId, code, Math.min(seq, lastSeq), clock.now());
    if (mark.changed) this.deps.notifier.unread(userId, { code, unread: unreadOf(lastSeq, mark.readSeq), readSeq: mark.readSeq });
  }

  /** `sync` of a room: what a member's stream lacks after `afterSeq` (see SyncPayload). */
  async sync(userId: string, code: string, afterSeq: number, epoch: string | undefined, limit: number): Promise<SyncResult<RoomMessage>> {
    const { store } = this.deps;
    if (!(await store.member(code, userId))) throw await this.notInRoom(code);
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
    this.announceDeparture(departed);
    await this.leaveBackstage(userId, code);
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
    this.checkText(text);
    // Only a text with an @ costs a read of the members.
    const members = text.includes('@') ? await this.deps.store.members(code) : [];
    const mentioned = this.mentioned(text, members, userId);
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
    if (!stored) throw await this.notInRoom(code);
    if ('refused' in stored) throw refusalError(stored, draft.sentAt);
    if (!stored.duplicate) {
      this.deps.notifier.message({ code, epoch: stored.epoch ?? '', ...messageView(stored) }, userId);
      for (const member of mentioned) this.deps.notifier.mentioned(member.userId, { code, seq: stored.seq, name: stored.name, text: stored.text });
    }
    return { seq: stored.seq, id: stored.id, sentAt: stored.sentAt, text: stored.text, ...(stored.kind === 'host' ? { kind: stored.kind } : {}) };
  }

  /**
   * Replaces the text of the member's own message sent within
   * ROOM_EDIT_WINDOW_MS; it keeps its seq, and every member gets
   * `room-message-edited`. The mentions follow the new text; nobody is
   * notified again (a mention notifies once, when the message is sent).
   */
  async edit(userId: string, code: string, seq: number, text: string): Promise<{ seq: number; text: string; editedAt: number }> {
    this.checkText(text);
    const { store, clock } = this.deps;
    const members = await store.members(code);
    if (!members.some((m) => m.userId === userId)) throw await this.notInRoom(code);
    const mentions = this.mentioned(text, members, userId).map((m) => m.name);
    const editedAt = clock.now();
    const edit = { text, editedAt, ...(mentions.length > 0 ? { mentions } : {}) };
    const result = await store.editMessage(code, seq, edit, this.ownGuard(userId, editedAt));
    if (result.kind !== 'done') throw this.notOwn('edited');
    this.deps.notifier.edited(editedView(code, seq, edit));
    await this.repin(code, seq, editedAt);
    return { seq, text, editedAt };
  }

  /** A pinned message that was edited: its pin (which quotes the words) is made again, keeping its end and who pinned it. */
  private async repin(code: string, seq: number, now: number): Promise<void> {
    const pins = await this.deps.store.pins(code, now);
    const held = pins.find((p) => p.seq === seq);
    if (!held) return;
    const request = { seq, until: held.until, pinnedAt: held.pinnedAt, by: held.by };
    const result = await this.deps.store.pin(code, request, Math.max(this.policy.roomMaxPins, pins.length), now);
    if (result.kind === 'pinned') this.deps.notifier.pins({ code, pins: result.pins });
  }

  async typing(userId: string, code: string, isTyping: boolean): Promise<void> {
    const member = await this.deps.store.member(code, userId);
    if (!member) throw await this.notInRoom(code);
    this.deps.notifier.typing({ code, name: member.name, isTyping }, userId);
  }

  /** The host and co-hosts delete any message, a member its own within ROOM_EDIT_WINDOW_MS. */
  async deleteMessage(userId: string, code: string, seq: number): Promise<void> {
    const { store, clock } = this.deps;
    const member = await store.member(code, userId);
    if (!member) throw await this.notInRoom(code);
    // Deleting a message that is not there (or is already gone) is a no-op.
    if (member.role === 'host' || member.role === 'cohost') {
      await this.removeMessage(code, seq);
      return;
    }
    const result = await store.deleteOwnMessage(code, seq, this.ownGuard(userId, clock.now()));
    if (result.kind === 'not-allowed') throw this.notOwn('deleted');
    if (result.kind === 'done') await this.deleted(code, seq);
  }

  /** An operator removes a message (no host check); false when it is not in the recent window. A pin of it goes too. */
  async removeMessage(code: string, seq: number): Promise<boolean> {
    if (!(await this.deps.store.deleteMessage(code, seq))) return false;
    await this.deleted(code, seq);
    return true;
  }

  /** Announces a deletion; a pin of the message goes too. */
  private async deleted(code: string, seq: number): Promise<void> {
    this.deps.notifier.deleted({ code, seq });
    const pins = await this.deps.store.unpin(code, seq, this.deps.clock.now());
    if (pins) this.deps.notifier.pins({ code, pins });
  }

  /** Pins a message of the recent window for `durationMs` (absent: until unpinned); pinning it again sets its new end. */
  async pin(userId: string, code: string, seq: number, durationMs?: number): Promise<void> {
    const member = await this.requireModerator(userId, code);
    const now = this.deps.clock.now();
    const request = { seq, until: durationMs !== undefined ? now + durationMs : null, pinnedAt: now, by: member.name };
    const max = this.policy.roomMaxPins;
    const result = await this.deps.store.pin(code, request, max, now);
    if (result.kind === 'too-many') throw new ClientError('TOO_MANY_PINS', `A room holds at most ${max} pinned messages; unpin one first.`);
    if (result.kind === 'no-message') throw new ClientError('MESSAGE_NOT_FOUND');
    this.deps.notifier.pins({ code, pins: result.pins });
  }

  /** Unpins a message; one that is not pinned is a no-op. */
  async unpin(userId: string, code: string, seq: number): Promise<void> {
    await this.requireModerator(userId, code);
    const pins = await this.deps.store.unpin(code, seq, this.deps.clock.now());
    if (pins) this.deps.notifier.pins({ code, pins });
  }

  /** Adds or removes the member's reaction; doing what is already done changes and announces nothing. */
  async react(userId: string, code: string, seq: number, emoji: string, on: boolean): Promise<void> {
    const normalized = normalizeEmoji(emoji);
    if (normalized === null) throw new ClientError('INVALID_PAYLOAD', 'A reaction is one emoji.');
    if (!(await this.deps.store.member(code, userId))) throw await this.notInRoom(code);
    const result = await this.deps.store.react(code, { seq, userId, emoji: normalized, on, maxEmoji: MAX_EMOJI_PER_MESSAGE });
    if (result.kind === 'too-many') {
      throw new ClientError('TOO_MANY_REACTIONS', `A message holds at most ${MAX_EMOJI_PER_MESSAGE} different reactions.`);
    }
    if (result.kind === 'no-message') throw new ClientError('MESSAGE_NOT_FOUND');
    if (result.kind === 'changed') this.deps.notifier.reactions({ code, seq, reactions: result.reactions });
  }

  /** The host or a co-host removes a member (a co-host only a plain member); a kicked co-host loses the role. */
  async kick(userId: string, code: string, name: string): Promise<void> {
    const target = await this.moderatedMember(userId, code, name, 'kick');
    const now = this.deps.clock.now();
    const departed = await this.deps.store.kick(code, name, now + this.policy.roomKickMs, now);
    if (!departed) throw new ClientError('NOT_IN_ROOM', 'No member of the room has that name.');
    if (target.role === 'cohost') await this.deps.store.setRole(code, target.userId, 'member');
    this.deps.notifier.kicked(departed.member.userId, code);
    this.announceDeparture(departed);
    // A kicked member's invitation goes with it.
    await this.deps.backstageRecord?.uninvite(code, target.userId);
    await this.deps.backstages.uninvite(code, target.userId);
    await this.leaveBackstage(target.userId, code);
  }

  /** The host names a member co-host, or makes a co-host a member again; the room is told (presence, and a system message). */
  async setRole(userId: string, code: string, name: string, role: GrantedRole): Promise<void> {
    const host = await this.requireHost(userId, code);
    const target = await this.memberNamed(code, name);
    if (target.userId === host.userId) throw new ClientError('NOT_ALLOWED', 'The host of a room stays its host.');
    if (target.role === role) return;
    const members = await this.deps.store.setRole(code, target.userId, role);
    if (!members) throw new ClientError('ROOM_NOT_FOUND');
    this.announceChange(code, members, target.userId);
    await this.announce(code, roleNews(target.name, role));
    await this.backstageRole(code, target.userId, role);
  }

  /** The host or a co-host mutes a member for `durationMs` (0 lifts the mute); the room sees it in presence. */
  async mute(userId: string, code: string, name: string, durationMs: number): Promise<void> {
    const target = await this.moderatedMember(userId, code, name, 'mute');
    const until = durationMs > 0 ? this.deps.clock.now() + durationMs : 0;
    const members = await this.deps.store.mute(code, target.userId, until);
    if (!members) throw new ClientError('ROOM_NOT_FOUND');
    this.announceChange(code, members, target.userId);
  }

  /**
   * The host changes the room's settings (texts already through the content
   * filter); every member gets `room-updated`, and the room a system message
   * for each change.
   */
  async updateSettings(userId: string, code: string, patch: Partial<RoomSettings>): Promise<RoomDetails> {
    await this.requireHost(userId, code);
    const before = await this.deps.store.getRoom(code);
    if (!before) throw REFUSALS['not-found'];
    const settings = await this.deps.store.updateSettings(code, patch);
    if (!settings) throw REFUSALS['not-found'];
    this.deps.notifier.updated({ code, ...settings });
    for (const text of settingsNews(before.settings, settings)) await this.announce(code, text);
    return roomDetails({ ...before, settings });
  }

  /** Stores and delivers a message of the room itself. */
  private async announce(code: string, text: string): Promise<void> {
    const stored = await this.deps.store.announce(code, { id: this.deps.newMessageId(), text, sentAt: this.deps.clock.now() });
    if (stored) this.deps.notifier.message({ code, epoch: stored.epoch ?? '', ...messageView(stored) }, '');
  }

  private announceChange(code: string, list: readonly RoomMemberRecord[], changedId: string): void {
    const now = this.deps.clock.now();
    const changed = list.find((m) => m.userId === changedId);
    this.deps.notifier.presence({ code, members: membersInfo(list, now), ...(changed ? { changed: memberInfo(changed, now) } : {}) });
  }

  private async memberNamed(code: string, name: string): Promise<RoomMemberRecord> {
    const key = name.toLowerCase();
    const target = (await this.deps.store.members(code)).find((m) => m.name.toLowerCase() === key);
    if (!target) throw new ClientError('NOT_IN_ROOM', 'No member of the room has that name.');
    return target;
  }

  /**
   * The member named, when the user may act on it: the host on anyone but
   * itself, a co-host on plain members only.
   */
  private async moderatedMember(userId: string, code: string, name: string, action: 'kick' | 'mute'): Promise<RoomMemberRecord> {
    const actor = await this.requireModerator(userId, code);
    const target = await this.memberNamed(code, name);
    if (target.userId === actor.userId) throw new ClientError('NOT_ALLOWED', `You cannot ${action} yourself.`);
    if (target.role === 'host' || (actor.role === 'cohost' && target.role === 'cohost')) {
      throw new ClientError('NOT_ALLOWED', `A co-host cannot ${action} the host or another co-host.`);
    }
    return target;
  }

  /** A connection of the user opened: every membership is present again. Returns the room codes. */
  async connected(userId: string, sid: string): Promise<string[]> {
    return this.deps.store.attach(userId, sid, this.deps.nodeId);
  }

  /** A connection closed: memberships stay listed for the resume grace. */
  async disconnected(userId: string, sid: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.detach(userId, sid, now + this.policy.resumeGraceMs);
    if (this.policy.resumeGraceMs === 0) await this.expire();
  }

  /** Removes members whose grace ended; run by the upkeep of every node. */
  async expire(): Promise<number> {
    const departed = await this.deps.store.expireAway(this.deps.clock.now());
    for (const d of departed) this.announceDeparture(d);
    await this.leaveBackstages(departed);
    return departed.length;
  }

  /** Removes the members of a dead node. */
  async sweepNode(nodeId: string): Promise<number> {
    const departed = await this.deps.store.sweepNode(nodeId);
    for (const d of departed) this.announceDeparture(d);
    await this.leaveBackstages(departed);
    return departed.length;
  }

  /** Public rooms: most members first, then the most recently active. */
  async list(): Promise<RoomInfo[]> {
    const now = this.deps.clock.now();
    const ttl = this.policy.roomsListCacheMs;
    if (!this.listed || now - this.listed.at >= ttl) {
      const rooms = this.deps.store.listPublic().then((found) => found.map(roomInfo));
      // A failed read is not kept.
      rooms.catch(() => {
        if (this.listed?.rooms === rooms) this.listed = undefined;
      });
      this.listed = ttl > 0 ? { at: now, rooms } : undefined;
      return rooms;
    }
    return this.listed.rooms;
  }

  /** One page of the public list, from this node's copy. */
  async listPage(offset: number, limit: number): Promise<RoomListPage> {
    const rooms = await this.list();
    const next = offset + limit;
    return { rooms: rooms.slice(offset, next), total: rooms.length, offset, limit, nextOffset: next < rooms.length ? next : null };
  }

  /** Every room, public and private, for operators. */
  async listAll(): Promise<RoomInfo[]> {
    return (await this.deps.store.listAll()).map(roomInfo);
  }

  /** An operator removes a room: its members are told and it is gone, and out of its backstage. False when there is no such room. */
  async remove(code: string): Promise<boolean> {
    const members = await this.deps.store.removeRoom(code);
    if (!members) return false;
    this.listed = undefined;
    for (const m of members) this.deps.notifier.removed(m.userId, code);
    for (const m of members) await this.leaveBackstage(m.userId, code).catch(() => undefined);
    return true;
  }

  /** A room's facts; a backstage's only for its members (and operators): null for anyone else, as for no room. */
  async info(code: string, reader: HistoryReader = 'operator'): Promise<RoomInfo | null> {
    const room = await this.deps.store.getRoom(code);
    if (!room || (reader !== 'operator' && !(await this.seesBackstage(reader.userId, room)))) return null;
    return roomInfo(room);
  }

  /** True unless the room is a backstage and the user (null: no identity) not in it. */
  private async seesBackstage(userId: string | null, room: RoomSummary): Promise<boolean> {
    if (room.visibility !== 'private' || (userId !== null && (await this.isMember(userId, room.code)))) return true;
    return (await this.deps.backstages.parentOf(room.code)) === null;
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

  private checkText(text: string): void {
    if (text.trim().length === 0) throw new ClientError('EMPTY_MESSAGE');
    const max = this.policy.maxMessageLength;
    if ((text.length <= max ? text.length : [...text].length) > max) {
      throw new ClientError('MESSAGE_TOO_LONG', `A message can be at most ${max} characters.`);
    }
  }

  /** The members (other than the sender) the text mentions. */
  private mentioned(text: string, members: readonly RoomMemberRecord[], senderId: string): RoomMemberRecord[] {
    const others = members.filter((m) => m.userId !== senderId);
    const names = resolveMentions(
      text,
      others.map((m) => m.name),
    );
    return names.map((name) => others.find((m) => m.name === name)!);
  }

  private ownGuard(userId: string, now: number): OwnMessageGuard {
    return { userId, sentSince: now - this.policy.roomEditWindowMs };
  }

  private notOwn(done: 'edited' | 'deleted'): ClientError {
    const minutes = Math.max(1, Math.round(this.policy.roomEditWindowMs / 60_000));
    return new ClientError('NOT_ALLOWED', `Only your own messages can be ${done}, up to ${minutes} min after sending.`);
  }

  private async requireHost(userId: string, code: string): Promise<RoomMemberRecord> {
    const member = await this.deps.store.member(code, userId);
    if (!member) throw await this.notInRoom(code);
    if (!member.host) throw new ClientError('NOT_ALLOWED', 'Only the host of the room may do that.');
    return member;
  }

  /**
   * The one check of moderation rights (delete, kick, mute, pin): the user's
   * membership when it is the room's host or a co-host; NOT_IN_ROOM (or
   * ROOM_NOT_FOUND) when it is not in the room, NOT_ALLOWED otherwise.
   */
  async requireModerator(userId: string, code: string): Promise<RoomMemberRecord> {
    const member = await this.deps.store.member(code, userId);
    if (!member) throw await this.notInRoom(code);
    if (member.role !== 'host' && member.role !== 'cohost') throw new ClientError('NOT_ALLOWED', 'Only the host or a co-host of the room may do that.');
    return member;
  }

  /** NOT_IN_ROOM for a room that exists, ROOM_NOT_FOUND for one that does not, or is a backstage (it is not there to outsiders). */
  private async notInRoom(code: string): Promise<ClientError> {
    const [room, parent] = await Promise.all([this.deps.store.getRoom(code), this.deps.backstages.parentOf(code)]);
    return room && parent === null ? new ClientError('NOT_IN_ROOM') : REFUSALS['not-found'];
  }

  /**
   * `room-backstage`: the host opens the room's backstage (the same one every
   * time), and with `invite` invites a present member into it, who is told
   * (`room-backstage-invite`); co-hosts and invited members get its code.
   */
  async backstage(userId: string, code: string, invite?: string): Promise<{ code: string }> {
    const { store, backstages } = this.deps;
    const member = await store.member(code, userId);
    if (!member) throw await this.notInRoom(code);
    if ((await backstages.parentOf(code)) !== null) throw new ClientError('NOT_ALLOWED', 'A backstage has no backstage of its own.');
    if (member.role !== 'host') {
      const open = invite === undefined ? await backstages.backstageOf(code) : null;
      if (open !== null && (member.role === 'cohost' || (await backstages.invited(code, userId)))) return { code: open };
      throw new ClientError('NOT_ALLOWED', 'Only the host of the room opens its backstage and invites to it.');
    }
    const target = invite !== undefined ? await this.memberNamed(code, invite) : null;
    const opened = await this.openBackstage(code);
    if (target && target.userId !== userId) {
      await this.deps.backstageRecord?.invite(code, target.userId);
      await backstages.invite(code, target.userId);
      this.deps.notifier.backstageInvite(target.userId, { code, backstage: { code: opened }, by: member.name });
    }
    return { code: opened };
  }

  /** The room's backstage, made (again, after a Redis loss took it) when it is not there. */
  private async openBackstage(parent: string): Promise<string> {
    const { store, backstages, clock } = this.deps;
    const room = await store.getRoom(parent);
    if (!room) throw REFUSALS['not-found'];
    const held = await backstages.backstageOf(parent);
    const fresh = this.deps.newCode();
    // PostgreSQL decides first when it keeps the record: after a Redis loss it answers the backstage the room had.
    const code = held ?? (await backstages.open(parent, (await this.deps.backstageRecord?.open(parent, fresh)) ?? fresh));
    if ((await store.getRoom(code)) || (await this.restore(code))) return code;
    const title = `Backstage · ${room.title}`.slice(0, TITLE_MAX);
    // Two opening at once: the second create finds the room made, which is what it wanted.
    await store.createRoom({ code, title, topic: null, visibility: 'private', createdAt: clock.now(), hostId: room.hostId });
    return code;
  }

  /**
   * Null for a room that is no backstage. For a backstage, the code of its
   * main room and the user's name there when the user may enter: a member
   * there who is its host, a co-host (who moderates the backstage too) or
   * invited; ROOM_NOT_FOUND otherwise, as for a room that does not exist.
   */
  private async admitToBackstage(userId: string, code: string): Promise<{ parent: string; name: string } | null> {
    const { store, backstages } = this.deps;
    const parent = await backstages.parentOf(code);
    if (parent === null) return null;
    const member = await store.member(parent, userId);
    const admitted = member !== null && (member.role !== 'member' || (await backstages.invited(parent, userId)));
    if (!admitted) throw REFUSALS['not-found'];
    if (member.role === 'cohost') await store.setRole(code, userId, 'cohost');
    return { parent, name: member.name };
  }

  /** Out of the room's backstage (told as `room-kicked` of the backstage), when it has one and the user is in it. */
  private async leaveBackstage(userId: string, parent: string): Promise<void> {
    const code = await this.deps.backstages.backstageOf(parent);
    if (code === null) return;
    const departed = await this.deps.store.leave(code, userId);
    if (!departed) return;
    this.deps.notifier.kicked(userId, code);
    this.announceDeparture(departed);
  }

  private async leaveBackstages(departed: readonly DepartedMember[]): Promise<void> {
    for (const d of departed) await this.leaveBackstage(d.member.userId, d.code).catch(() => undefined);
  }

  /** A co-host of the main room is one in its backstage; one made a member again stays there only when invited. */
  private async backstageRole(parent: string, userId: string, role: GrantedRole): Promise<void> {
    const { store, backstages } = this.deps;
    const code = await backstages.backstageOf(parent);
    if (code === null) return;
    if (role === 'member' && !(await backstages.invited(parent, userId))) {
      await this.leaveBackstage(userId, parent);
      await store.setRole(code, userId, 'member');
      return;
    }
    const members = await store.setRole(code, userId, role);
    if (members?.some((m) => m.userId === userId)) this.announceChange(code, members, userId);
  }

  private announceDeparture(d: DepartedMember): void {
    this.deps.notifier.presence({ code: d.code, members: membersInfo(d.members, this.deps.clock.now()), left: { name: d.member.name } });
  }
}

/** The error a refused append answers. */
function refusalError(refusal: AppendRefusal, now: number): ClientError {
  if (refusal.refused === 'muted') return muted(refusal.until, now);
  return refusal.refused === 'slow-mode' ? slowMode(refusal.retryAfterMs) : rateLimited(refusal.retryAfterMs);
}
