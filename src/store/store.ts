/**
 * The storage contract of a parley node. Two implementations pass the same
 * behaviour suite: MemoryStore (single node) and RedisStore (cluster). Every
 * method that checks and then changes state does both in one atomic step.
 */

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
  /** Set while chatting. */
  roomId?: string;
  partnerId?: string;
  /** Partner of the most recent chat, kept after it ends (for `block`). */
  lastPartnerId?: string;
  /** Socket id of the user's live connection. */
  sid?: string;
}

export type EnqueueResult =
  | { ok: true; since: number; cooldownUntil: number; active: boolean }
  | { ok: false; reason: 'in-chat' };

/** Which pools a search reads, and how much of each. */
export interface CandidateQuery {
  /** Read the per-interest pool of each of these. */
  interests: readonly string[];
  /** Also read the pool of users who accept anyone. */
  open: boolean;
  /** Oldest waiters read per pool. */
  head: number;
  /** Newest waiters read per pool. */
  tail: number;
  now: number;
}

/** A waiting user seen from one seeker, with what the rules need to judge it. */
export interface Candidate {
  userId: string;
  interests: string[];
  since: number;
  cooldownUntil: number;
  /** Epoch ms the seeker last chatted with this user, or null. */
  lastChatAt: number | null;
  /** An unexpired block exists in either direction. */
  blocked: boolean;
}

export interface PairRequest {
  a: string;
  b: string;
  roomId: string;
  now: number;
  commonInterests: string[];
  rematchWindowMs: number;
}

export type PairRefusal = 'self' | 'a-unavailable' | 'b-unavailable' | 'cooldown' | 'rematch' | 'blocked';

export type PairResult = { ok: true; chat: ChatRecord } | { ok: false; reason: PairRefusal; aState?: UserState };

export interface ChatRecord {
  roomId: string;
  users: [string, string];
  startedAt: number;
  commonInterests: string[];
}

export interface LeaveRequest {
  userId: string;
  now: number;
  cooldownMs: number;
  /** What may be ended: the chat, the search, or either. */
  only: 'chat' | 'search' | 'any';
  /** Proceed only if the user's live connection is this one (or none is recorded); then forget it. */
  expectSid?: string;
  /** Record this as the user's live connection. */
  setSid?: string;
}

export interface LeaveResult {
  /** False when expectSid did not match: nothing was changed. */
  applied: boolean;
  previous: UserState;
  partnerId?: string;
  roomId?: string;
}

export interface Counts {
  waiting: number;
  chatting: number;
}

export interface NodeReport {
  nodeId: string;
  connections: number;
}

export interface MatchStore {
  readonly kind: 'memory' | 'redis';
  /** Starts or restarts a search; enters the pools at once unless in cooldown. */
  enqueue(userId: string, interests: readonly string[], now: number): Promise<EnqueueResult>;
  /** Enters the pools for the search that started at `since`; false if that search is over. */
  activate(userId: string, since: number, open: boolean): Promise<boolean>;
  /** A bounded read of the pools: never more than (head + tail) per pool. */
  candidates(seekerId: string, query: CandidateQuery): Promise<Candidate[]>;
  /** The fence: re-checks both users and commits the pair atomically. */
  commitPair(request: PairRequest): Promise<PairResult>;
  /** Ends a chat (both sides enter cooldown) or a search. */
  leave(request: LeaveRequest): Promise<LeaveResult>;
  /** Blocks the current, else the most recent, partner; returns who, or null. */
  block(userId: string, now: number, ttlMs: number): Promise<string | null>;
  getUser(userId: string): Promise<UserRecord>;
  counts(): Promise<Counts>;
  /** Heartbeat of one node; entries older than ttlMs drop out of nodes(). */
  reportNode(report: NodeReport, now: number, ttlMs: number): Promise<void>;
  removeNode(nodeId: string): Promise<void>;
  nodes(now: number, ttlMs: number): Promise<NodeReport[]>;
  /** True when the backend answers. */
  ping(): Promise<boolean>;
}
