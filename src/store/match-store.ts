/**
 * The match store: the search pools, pairing and each user's session (its
 * live connection, its chat or search, the resume grace). Two
 * implementations pass the same behaviour suite: MemoryStore (single node)
 * and RedisStore (cluster). Every method that checks and then changes state
 * does both in one atomic step.
 */
import type { ChatMode } from '../protocol';
import type { ChatLog, SocketRef } from './chat-store';
export type { Candidate, CandidateQuery, CandidateRead, PoolCursor, SearchLanguages } from './match-pool-read';
import type { CandidateQuery, CandidateRead, SearchLanguages } from './match-pool-read';

export type UserState = 'idle' | 'waiting' | 'chatting';

/** A user as the store holds it. */
export interface UserRecord {
  state: UserState;
  /** Epoch ms until which the user may not be paired. 0 when none. */
  cooldownUntil: number;
  /** Set while waiting. */
  interests?: string[];
  /** Epoch ms the current search started; set while waiting. */
  since?: number;
  /** True while waiting and in the candidate pools (cooldown over). */
  active?: boolean;
  /** True once the user accepts anyone (no interests, or past its fallback). */
  open?: boolean;
  /** Set while waiting: the primary languages of its search; empty when it named none. */
  languages?: string[];
  /** Set while waiting with languages it may leave: after this long it also meets any language. */
  anyLanguageAfterMs?: number;
  /** True once the user is in the pools of any language (no languages, or past `anyLanguageAfterMs`). */
  anyLanguage?: boolean;
  /** Set while waiting for a video chat (`video`); absent for a text search. */
  mode?: ChatMode;
  /** Set while chatting. */
  roomId?: string;
  partnerId?: string;
  /** Partner of the most recent chat, kept after it ends (for `block`). */
  lastPartnerId?: string;
  /** Room id of the most recent chat that ended (for `keep-in-touch` after it). */
  lastRoomId?: string;
  /** When that chat ended, epoch ms. */
  lastEndedAt?: number;
  /** Socket id of the user's live connection. */
  sid?: string;
  /** Node holding that connection. */
  node?: string;
  /** While chatting without a connection: when the resume grace ends. */
  away?: number;
}

export type EnqueueResult =
  | { ok: true; since: number; cooldownUntil: number; active: boolean }
  | { ok: false; reason: 'in-chat' };

export interface PairRequest {
  a: string;
  b: string;
  roomId: string;
  now: number;
  commonInterests: string[];
  rematchWindowMs: number;
  /**
   * The searches the pair was judged on (each user's `since`): a user whose
   * search changed since (new interests or languages) is refused as
   * unavailable. Absent: any search.
   */
  searches?: [number, number];
  /** The mode both searches must be in (the chat's mode); absent: text. */
  mode?: ChatMode;
}

export type PairRefusal = 'self' | 'a-unavailable' | 'b-unavailable' | 'cooldown' | 'rematch' | 'blocked';

/**
 * A committed pair (with each user's live connection at the commit, as
 * [a, b], when the store knew it: the node it is on may hand `matched` to it
 * directly), or why not.
 */
export type PairResult =
  | { ok: true; chat: ChatRecord; sockets?: [SocketRef | undefined, SocketRef | undefined] }
  | { ok: false; reason: PairRefusal; aState?: UserState };

export interface ChatRecord {
  roomId: string;
  /** The first is the call's initiator in a video chat (it makes the offer), for the whole chat. */
  users: [string, string];
  startedAt: number;
  commonInterests: string[];
  mode: ChatMode;
}

export interface LeaveRequest {
  userId: string;
  now: number;
  cooldownMs: number;
  /** What may be ended: the chat, the search, or either. */
  only: 'chat' | 'search' | 'any';
}

export interface LeaveResult {
  previous: UserState;
  /** Set when a chat ended. */
  partnerId?: string;
  roomId?: string;
  /** Set when a chat ended: `video` when its call was still on (the call ends with it). */
  mode?: ChatMode;
}

export interface ConnectRequest {
  userId: string;
  sid: string;
  nodeId: string;
  /**
   * The same open connection is attached again (its node was swept while
   * alive): a search it started since goes on instead of ending.
   */
  keepSearch?: boolean;
}

export type ConnectResult =
  | { kind: 'idle' | 'search-ended' }
  | {
      kind: 'resumed';
      partnerId: string;
      roomId: string;
      startedAt: number;
      commonInterests: string[];
      /** The chat's mode now: `video` until either side ended the call. */
      mode: ChatMode;
      /** True when this user is the chat's initiator (the first of its users). */
      initiator: boolean;
      /** The user's connection had been gone (its partner saw partner-away). */
      wasAway: boolean;
      /** The chat's log, oldest first. */
      log: ChatLog;
    };

export interface DisconnectRequest {
  userId: string;
  sid: string;
  now: number;
  cooldownMs: number;
  /** How long a chat waits for the user to come back; 0 ends it at once. */
  graceMs: number;
}

export type DropKind = 'stale' | 'idle' | 'search-ended' | 'away' | 'chat-ended';

export interface DropResult {
  kind: DropKind;
  /** Set for 'away' and 'chat-ended'. */
  partnerId?: string;
  roomId?: string;
  /** 'chat-ended' only: `video` when its call was still on. */
  mode?: ChatMode;
}

export interface ExpiredAway {
  userId: string;
  partnerId: string;
  roomId: string;
  /** `video` when the chat's call was still on. */
  mode?: ChatMode;
}

/**
 * Cluster-wide figures, read in one atomic step. Every waiting user, and
 * every chatting user who is not away, counts as online (a search counts even
 * before its connection is recorded, as right after a data loss: the
 * connection's close ends it), so `waiting + chatting <= online` always.
 */
export interface Counts {
  /** Users with a live connection (a search counts as one: a disconnect ends it). */
  online: number;
  /** Users searching for a partner. */
  waiting: number;
  /** Of `waiting`, those searching for a video chat. */
  waitingVideo: number;
  /** Connected users in a chat. */
  chatting: number;
  /** Users whose chat waits for them in the resume grace (not connected). */
  away: number;
}

export interface MatchStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Starts or restarts a search; enters the pools at once unless in cooldown.
   * Without `languages`, the search names none (it accepts any language);
   * without `mode`, it is a text search. A search enters its mode's pools only.
   */
  enqueue(userId: string, interests: readonly string[], now: number, languages?: SearchLanguages, mode?: ChatMode): Promise<EnqueueResult>;
  /**
   * Enters the pools for the search that started at `since` (the open pools
   * when `open`, those of any language when `anyLanguage`; pools entered
   * before are kept); false if that search is over.
   */
  activate(userId: string, since: number, open: boolean, anyLanguage?: boolean): Promise<boolean>;
  /**
   * A bounded read of the pools: at most (head + 2·near + 1 + tail) per pool,
   * plus `page` waiters in all, plus the recheck ids.
   */
  candidates(seekerId: string, query: CandidateQuery): Promise<CandidateRead>;
  /** The fence: re-checks both users and commits the pair atomically. */
  commitPair(request: PairRequest): Promise<PairResult>;
  /** Ends a chat (both sides enter cooldown) or a search, at the user's request. */
  leave(request: LeaveRequest): Promise<LeaveResult>;
  /** Records a new live connection; resumes a chat, ends a search. */
  connect(request: ConnectRequest): Promise<ConnectResult>;
  /** A connection closed: ends a search, suspends a chat for the grace period. */
  disconnect(request: DisconnectRequest): Promise<DropResult>;
  /** Ends the chats whose user did not come back in time. */
  expireAway(now: number, cooldownMs: number, limit: number): Promise<ExpiredAway[]>;
  getUser(userId: string): Promise<UserRecord>;
  /** The figures at one moment. */
  counts(): Promise<Counts>;
  /**
   * Waiting users per primary language (a user counts in each language it
   * named), under WAITING_ANY_LANGUAGE those who named none.
   */
  waitingByLanguage(): Promise<Record<string, number>>;
  /** True when the backend answers. */
  ping(): Promise<boolean>;
  /**
   * The id of the current data set, writing `candidate` if there is none.
   * A different answer than before means the shared state was lost.
   */
  epoch(candidate: string): Promise<string>;
}
