/** The topic rooms' side of the page: which section shows, the public list, and the rooms joined. */
import type { RoomInfo, RoomMemberInfo, RoomPin, RoomSettings } from '@parley/protocol';
import { createStoreOf, type StoreOf } from '../app/state';
import { EMPTY_TIMELINE, type RoomTimeline } from './room-timeline';

/** The header switch: the one-to-one chat, the rooms or the contacts. */
export type Tab = 'chat' | 'rooms' | 'contacts';

/** An own message not yet acknowledged (`sending`) or refused (`failed`). */
export interface PendingMessage {
  key: string;
  text: string;
  replyTo?: number;
  at: number;
  status: 'sending' | 'failed';
}

export interface JoinedRoom {
  info: RoomInfo;
  you: RoomMemberInfo;
  members: readonly RoomMemberInfo[];
  timeline: RoomTimeline;
  /** Messages pinned now, oldest pin first (the server says when one ends). */
  pins: readonly RoomPin[];
  pending: readonly PendingMessage[];
  /** Names of the other members typing now. */
  typing: readonly string[];
  loadingOlder: boolean;
  /** Slow mode, description and rules, as the host set them. */
  settings: RoomSettings;
  /** With slow mode, when this member may send again (epoch ms; 0: now). */
  slowUntil: number;
  /** The identity's read position (the same on every device; see ./unread). */
  readSeq: number;
  /** The newest seq this page knows of. */
  lastSeq: number;
  /** Messages after `readSeq`: the badge in the room list. */
  unread: number;
  /** Set when this room is a backstage: the code of its main room. */
  backstageOf: string | null;
  /** The host's name when it invited this member into the room's backstage (shown until it is opened). */
  backstageBy: string | null;
  /** Members the host (this page) invited into the room's backstage. */
  backstageInvited: readonly string[];
  /** Seqs of own messages the server no longer let this page change (NOT_ALLOWED: its clock is ahead of this device's). */
  editsClosed: readonly number[];
}

/** A mention of the user in a room not on screen, shown as a toast until dismissed or opened. */
export interface MentionToast {
  code: string;
  title: string;
  /** Who wrote it. */
  name: string;
  text: string;
}

/** Why a room the user was in is no longer theirs. */
export interface ClosedRoom {
  code: string;
  title: string;
  /** `left`: a backstage one is no longer in (its main room left, or co-host rights gone). */
  reason: 'kicked' | 'gone' | 'left';
}

export interface RoomsState {
  tab: Tab;
  /** The room shown; null shows the list of rooms. */
  active: string | null;
  /** Rooms joined, by code, in joining order. Replaced (never mutated) on change. */
  joined: ReadonlyMap<string, JoinedRoom>;
  /** Public rooms from GET /api/rooms; null until the first answer. */
  list: readonly RoomInfo[] | null;
  listFailed: boolean;
  /** The room left behind when the host removed the user or it vanished; shown until dismissed. */
  closed: ClosedRoom | null;
  /** The seq the next message answers. */
  replyTo: number | null;
  /** The seq of the own message being edited in the composer. */
  editing: number | null;
  mention: MentionToast | null;
  /** Inline error of the rooms list screen or of the room view. */
  error: { scope: 'browse' | 'room'; text: string } | null;
  /** A request from the list screen is running (create, join). */
  busy: boolean;
}

export type RoomsStateStore = StoreOf<RoomsState>;

export function createRoomsStateStore(): RoomsStateStore {
  return createStoreOf<RoomsState>({
    tab: 'chat',
    active: null,
    joined: new Map(),
    list: null,
    listFailed: false,
    closed: null,
    replyTo: null,
    editing: null,
    mention: null,
    error: null,
    busy: false,
  });
}

/** A fresh room entry from a join ack. */
export function joinedFrom(info: RoomInfo, you: RoomMemberInfo, members: readonly RoomMemberInfo[], settings: RoomSettings): JoinedRoom {
  return {
    info,
    you,
    members,
    settings,
    timeline: EMPTY_TIMELINE,
    pins: [],
    pending: [],
    typing: [],
    loadingOlder: false,
    slowUntil: 0,
    readSeq: 0,
    lastSeq: 0,
    unread: 0,
    backstageOf: null,
    backstageBy: null,
    backstageInvited: [],
    editsClosed: [],
  };
}

/** Whether `you` may moderate `member` (delete its messages, mute, remove it, pin): the host anyone else, a co-host plain members. */
export function canModerate(you: RoomMemberInfo, member?: RoomMemberInfo): boolean {
  if (you.role === 'host') return member === undefined || member.name !== you.name;
  if (you.role !== 'cohost') return false;
  return member === undefined || member.role === 'member';
}

/** Applies `change` to one joined room; does nothing when the user is not in it. */
export function updateRoom(store: RoomsStateStore, code: string, change: (room: JoinedRoom) => JoinedRoom): void {
  const current = store.get().joined.get(code);
  if (!current) return;
  const next = change(current);
  if (next === current) return;
  const joined = new Map(store.get().joined);
  joined.set(code, next);
  store.set({ joined });
}

export function dropRoom(store: RoomsStateStore, code: string): void {
  if (!store.get().joined.has(code)) return;
  const joined = new Map(store.get().joined);
  joined.delete(code);
  const patch: Partial<RoomsState> = { joined };
  if (store.get().active === code) Object.assign(patch, { active: null, replyTo: null, editing: null });
  store.set(patch);
}
