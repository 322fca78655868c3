/**
 * Matchmaking: searches, pairing and ending chats. Pairing follows one
 * protocol everywhere: enter the pools first, then read a bounded set of
 * candidates, rank them with the rules, lock both users and let the store's
 * atomic commit decide. Entering before reading means that of two seekers
 * arriving at once, at least one sees the other: no lost wakeups.
 *
 * A search does not stop at its first read. Until it is paired, a waiter
 * walks its pools page by page (see walk.ts) — quickly until a whole pass
 * found no one, then one page at a low rate — so two waiters who may meet
 * are found however deep in a pool they sit. Whoever it saw but may not meet
 * yet (cooldown, rematch window, block, fallback) is judged again the moment
 * that reason runs out. Every step that leaves the waiter waiting schedules
 * the next one: no search is ever left without a timer.
 *
 * Within a node, searches do not race each other: a pairing attempt in
 * progress reserves both its users, other searches of this node pass them
 * over (and come back once the attempt is settled), and a search whose own
 * user is reserved waits for that attempt instead of reading. Searches this
 * node saw paired are passed over too, though a read taken just before may
 * still list them. The Redlock then only arbitrates between nodes.
 */
import { ClientError } from '../errors';
import type { DisconnectReason } from '../realtime/protocol';
import type { Candidate, ConnectResult, PoolCursor, DropResult, LeaveResult, MatchStore, PairResult } from '../store/store';
import {
  acceptsAnyone,
  eligibleAt,
  judge,
  openAt,
  rankCandidates,
  type MatchPolicy,
  type RankedCandidate,
  type Seeker,
} from './eligibility';
import { LOCK_BUSY, type Clock, type Locker, type MatchNotifier } from './ports';
import { RecentPairs } from './recent-pairs';
import { Walk } from './walk';

export interface MatchmakerOptions extends MatchPolicy {
  /** After a user's chat ends, it is not paired again for this long. */
  matchCooldownMs: number;
  /** How long a block lasts. */
  blockTtlMs: number;
  /** How long a chat waits for a user whose connection dropped. */
  resumeGraceMs: number;
  /** Oldest waiters read per pool and search. */
  poolHead?: number;
  /** Newest waiters read per pool and search. */
  poolTail?: number;
  /** Waiters read on each side of the seeker's own place in each pool. */
  poolNear?: number;
  /** Waiters one step of a walk reads. */
  scanPage?: number;
  /** Pause between the steps of a pass in progress. */
  scanStepMs?: number;
  /** After a pass found no one, one page every this long. */
  rescanMs?: number;
}

export interface MatchmakerDeps {
  store: MatchStore;
  locker: Locker;
  clock: Clock;
  notifier: MatchNotifier;
  newRoomId: () => string;
  random?: () => number;
  /** This node's id: among equally good candidates, those connected here go first. */
  nodeId?: string;
  /** Told about failures of background searches (cooldown end, fallback). */
  onError?: (err: unknown) => void;
  /** Told how long both users of each new pair waited. */
  onPaired?: (waitsMs: [number, number]) => void;
}

export type SearchOutcome = 'matched' | 'waiting';

/** What one read-and-try gave: paired, over, held by others, or no one to pair in what was read. */
type ReadOutcome =
  | { kind: 'matched' }
  | { kind: 'over' }
  | { kind: 'contended' }
  | { kind: 'none'; candidates: Candidate[]; cursor: PoolCursor | null; now: number };

const CANDIDATES_TRIED = 4;
const SEARCH_ROUNDS = 5;
const RETRY_AFTER_CONTENTION_MS = 150;
/** After a failed step (the store did not answer), the walk goes on after this long. */
const RETRY_AFTER_ERROR_MS = 1000;

export class Matchmaker {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The searches this node runs, by user. */
  private readonly walks = new Map<string, Walk>();
  /** Pairing attempts in progress on this node, by both of their users; true once paired. */
  private readonly attempts = new Map<string, Promise<boolean>>();
  private readonly recent: RecentPairs;
  private readonly head: number;
  private readonly tail: number;
  private readonly near: number;
  private readonly page: number;
  private readonly stepMs: number;
  private readonly rescanMs: number;

  constructor(
    private readonly deps: MatchmakerDeps,
    private readonly options: MatchmakerOptions,
  ) {
    this.head = options.poolHead ?? 8;
    this.tail = options.poolTail ?? 4;
    this.near = options.poolNear ?? 4;
    this.page = options.scanPage ?? 100;
    this.stepMs = options.scanStepMs ?? 20;
    this.rescanMs = options.rescanMs ?? 10_000;
    this.recent = new RecentPairs(() => deps.clock.now());
  }

  /** Starts a search (or restarts it with new interests). */
  async find(userId: string, interests: readonly string[]): Promise<SearchOutcome> {
    const now = this.deps.clock.now();
    const entry = await this.deps.store.enqueue(userId, interests, now);
    if (!entry.ok) throw new ClientError('ALREADY_IN_CHAT');
    this.stopWalk(userId);
    this.recent.forget(userId);
    const seeker: Seeker = { userId, interests, since: entry.since };
    if (!entry.active) {
      const walk = new Walk(seeker, false);
      this.walks.set(userId, walk);
      this.schedule(walk, entry.cooldownUntil, () => this.activate(walk));
      return 'waiting';
    }
    const walk = new Walk(seeker, interests.length === 0);
    this.walks.set(userId, walk);
    return this.walkOn(walk);
  }

  /** Ends a search. Returns false when the user was not searching. */
  async cancel(userId: string): Promise<boolean> {
    this.stopWalk(userId);
    const r = await this.leave(userId, 'search');
    if (r.previous === 'chatting') throw new ClientError('ALREADY_IN_CHAT');
    return r.previous === 'waiting';
  }

  /** Ends the user's chat; the partner is told why. */
  async leaveChat(userId: string, reason: Exclude<DisconnectReason, 'disconnected'>): Promise<void> {
    const r = await this.leave(userId, 'chat');
    if (r.previous !== 'chatting') throw new ClientError('NOT_IN_CHAT');
    this.tellPartner(r, reason);
  }

  /** Ends the current chat, if any, and searches again. */
  async next(userId: string, interests: readonly string[]): Promise<SearchOutcome> {
    const r = await this.leave(userId, 'chat');
    this.tellPartner(r, 'skipped');
    return this.find(userId, interests);
  }

  /** Blocks the current (else the most recent) partner and ends the chat. */
  async block(userId: string): Promise<void> {
    const now = this.deps.clock.now();
    const target = await this.deps.store.block(userId, now, this.options.blockTtlMs);
    if (!target) throw new ClientError('NOT_IN_CHAT', 'There is no one to block.');
    const r = await this.leave(userId, 'chat');
    this.tellPartner(r, 'left');
  }

  /**
   * A connection of this user arrives and becomes its live one. A chat in
   * progress is resumed by it (the partner hears `partner-back` if it had
   * been told `partner-away`); a search ends.
   */
  async connect(userId: string, sid: string, nodeId: string): Promise<ConnectResult> {
    this.stopWalk(userId);
    const r = await this.deps.store.connect({ userId, sid, nodeId });
    if (r.kind === 'resumed' && r.wasAway) this.deps.notifier.partnerBack(r.partnerId, { roomId: r.roomId });
    return r;
  }

  /**
   * The user's connection `sid` closed; a no-op if a newer one took over.
   * A search ends; a chat waits `resumeGraceMs` for the user to come back.
   */
  async disconnect(userId: string, sid: string): Promise<void> {
    const r = await this.deps.store.disconnect({
      userId,
      sid,
      now: this.deps.clock.now(),
      cooldownMs: this.options.matchCooldownMs,
      graceMs: this.options.resumeGraceMs,
    });
    if (r.kind === 'stale') return;
    this.stopWalk(userId);
    this.tellDropped(r);
  }

  /** Ends the chats of users whose grace ran out; returns how many. */
  async expireAway(limit = 100): Promise<number> {
    const expired = await this.deps.store.expireAway(this.deps.clock.now(), this.options.matchCooldownMs, limit);
    for (const e of expired) this.deps.notifier.partnerLeft(e.partnerId, { roomId: e.roomId, reason: 'disconnected' });
    return expired.length;
  }

  /** The users of a node that stopped heart-beating count as disconnected now. */
  async sweepNode(nodeId: string): Promise<number> {
    const dropped = await this.deps.store.sweepNode(
      nodeId,
      this.deps.clock.now(),
      this.options.matchCooldownMs,
      this.options.resumeGraceMs,
    );
    for (const r of dropped) this.tellDropped(r);
    return dropped.length;
  }

  private tellDropped(r: DropResult): void {
    if (!r.partnerId || !r.roomId) return;
    if (r.kind === 'away') this.deps.notifier.partnerAway(r.partnerId, { roomId: r.roomId });
    if (r.kind === 'chat-ended') {
      this.deps.notifier.partnerLeft(r.partnerId, { roomId: r.roomId, reason: 'disconnected' });
    }
  }

  /** Stops every timer of this node. */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.walks.clear();
  }

  /** Searches this node is running now. */
  get searching(): number {
    return this.walks.size;
  }

  private leave(userId: string, only: 'chat' | 'search' | 'any'): Promise<LeaveResult> {
    return this.deps.store.leave({ userId, now: this.deps.clock.now(), cooldownMs: this.options.matchCooldownMs, only });
  }

  private tellPartner(r: LeaveResult, reason: DisconnectReason): void {
    if (r.previous === 'chatting' && r.partnerId && r.roomId) {
      this.deps.notifier.partnerLeft(r.partnerId, { roomId: r.roomId, reason });
    }
  }

  /**
   * Cooldown over: enter the pools — the open pool too when the fallback has
   * passed by this same reading of the clock — then search.
   */
  private async activate(walk: Walk): Promise<void> {
    const { seeker } = walk;
    const open = acceptsAnyone(seeker.interests, seeker.since, this.deps.clock.now(), this.options);
    if (!(await this.deps.store.activate(seeker.userId, seeker.since, open))) return this.endWalk(walk);
    walk.open = open;
    walk.restart();
    await this.walkOn(walk);
  }

  /**
   * One step of a search, then the timer for the next: right away after a
   * window read that found no one, `scanStepMs` later while a pass is under
   * way, else at the earliest of a wake-up, the fallback and `rescanMs`.
   */
  private async walkOn(walk: Walk): Promise<SearchOutcome> {
    const { seeker } = walk;
    const now = this.deps.clock.now();
    // The fallback passed by this reading of the clock: into the open pool
    // first. Had the timer fired early, the next step comes at openAt.
    if (!walk.open && acceptsAnyone(seeker.interests, seeker.since, now, this.options)) {
      if (!(await this.deps.store.activate(seeker.userId, seeker.since, true))) {
        this.endWalk(walk);
        return 'waiting';
      }
      walk.open = true;
      walk.restart();
    }
    const due = walk.due(now);
    if (due.restart) walk.restart();
    let recheck = due.recheck;
    for (;;) {
      const fresh = walk.fresh;
      const read = await this.search(walk, recheck);
      recheck = [];
      if (read.kind === 'matched' || read.kind === 'over') {
        this.endWalk(walk);
        return read.kind === 'matched' ? 'matched' : 'waiting';
      }
      if (read.kind === 'contended') {
        this.schedule(walk, this.deps.clock.now() + RETRY_AFTER_CONTENTION_MS, () => this.step(walk));
        return 'waiting';
      }
      walk.advance(read.cursor);
      for (const c of read.candidates) {
        if (judge(seeker, c, read.now, this.options)) continue;
        const at = eligibleAt(seeker, c, this.options);
        if (at !== null) walk.wakeAt(c.userId, Math.max(at, read.now + 1));
      }
      if (fresh && !walk.passed) continue;
      const at = walk.passed
        ? Math.min(read.now + this.rescanMs, walk.nextWakeup(), walk.open ? Infinity : openAt(seeker.interests, seeker.since, this.options))
        : read.now + this.stepMs;
      this.schedule(walk, at, () => this.step(walk));
      return 'waiting';
    }
  }

  /** A background step; a failure leaves the walk going, a little later. */
  private async step(walk: Walk): Promise<void> {
    try {
      await this.walkOn(walk);
    } catch (err) {
      this.deps.onError?.(err);
      this.schedule(walk, this.deps.clock.now() + RETRY_AFTER_ERROR_MS, () => this.step(walk));
    }
  }

  /**
   * One read and the attempts it leads to: rank what was read, then lock and
   * commit the best candidates in turn, passing over users in another
   * attempt of this node. When every try failed (others took them, or held
   * them), read the same part again: the pools have moved on. 'contended'
   * means the rounds ran out while candidates remained.
   */
  private async search(walk: Walk, recheck: readonly string[]): Promise<ReadOutcome> {
    const { store, clock } = this.deps;
    const { seeker } = walk;
    for (let round = 0; round < SEARCH_ROUNDS; round++) {
      const own = this.attempts.get(seeker.userId);
      if (own) {
        if (await own) return { kind: 'matched' };
        continue;
      }
      if (this.recent.has(seeker.userId, seeker.since)) return { kind: 'matched' };
      const now = clock.now();
      const read = await store.candidates(seeker.userId, {
        interests: seeker.interests,
        open: walk.open,
        head: walk.fresh ? this.head : 0,
        tail: walk.fresh ? this.tail : 0,
        near: walk.fresh ? this.near : 0,
        page: walk.fresh ? 0 : this.page,
        cursor: walk.cursor,
        recheck,
        now,
      });
      if (read.seeker.since !== seeker.since || read.seeker.state !== 'waiting') {
        return { kind: read.seeker.state === 'chatting' ? 'matched' : 'over' };
      }
      const ranked = rankCandidates(seeker, read.candidates, now, this.options, this.deps.random, this.deps.nodeId);
      if (ranked.length === 0) return { kind: 'none', candidates: read.candidates, cursor: read.cursor, now };
      const reserved: Promise<boolean>[] = [];
      let lockBusy = false;
      let tried = 0;
      for (const candidate of ranked) {
        if (tried === CANDIDATES_TRIED) break;
        const mine = this.attempts.get(seeker.userId);
        if (mine) {
          reserved.push(mine);
          break;
        }
        if (this.recent.has(seeker.userId, seeker.since)) return { kind: 'matched' };
        if (this.recent.has(candidate.userId, candidate.since)) continue;
        const theirs = this.attempts.get(candidate.userId);
        if (theirs) {
          reserved.push(theirs);
          continue;
        }
        tried++;
        const result = await this.attempt(seeker, candidate);
        if (result === LOCK_BUSY) {
          lockBusy = true;
          continue;
        }
        if (result.ok) {
          const { startedAt, commonInterests, roomId } = result.chat;
          this.deps.onPaired?.([startedAt - seeker.since, startedAt - candidate.since]);
          for (const userId of result.chat.users) {
            this.deps.notifier.matched(userId, { roomId, commonInterests, startedAt });
          }
          return { kind: 'matched' };
        }
        // The seeker itself changed: someone paired it, or it left.
        if (result.reason === 'a-unavailable') return { kind: result.aState === 'chatting' ? 'matched' : 'over' };
      }
      if (reserved.length > 0) await Promise.race(reserved);
      else if (lockBusy) await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(Math.random() * 40)));
    }
    return { kind: 'contended' };
  }

  /** Locks both users and commits the pair, holding both reserved meanwhile. */
  private async attempt(seeker: Seeker, candidate: RankedCandidate): Promise<PairResult | typeof LOCK_BUSY> {
    const { store, locker, clock } = this.deps;
    const users = [seeker.userId, candidate.userId];
    let settle!: (paired: boolean) => void;
    const settled = new Promise<boolean>((resolve) => (settle = resolve));
    for (const id of users) this.attempts.set(id, settled);
    let paired = false;
    try {
      const result = await locker.withLock(users, () =>
        store.commitPair({
          a: seeker.userId,
          b: candidate.userId,
          roomId: this.deps.newRoomId(),
          now: clock.now(),
          commonInterests: candidate.common,
          rematchWindowMs: this.options.rematchWindowMs,
        }),
      );
      paired = result !== LOCK_BUSY && result.ok;
      if (paired) {
        this.recent.add(seeker.userId, seeker.since);
        this.recent.add(candidate.userId, candidate.since);
      }
      return result;
    } finally {
      for (const id of users) this.attempts.delete(id);
      settle(paired);
    }
  }

  /** Runs `run` at `at` for the walk, unless the walk has ended or been replaced by then. */
  private schedule(walk: Walk, at: number, run: () => Promise<void>): void {
    const { userId } = walk.seeker;
    if (this.walks.get(userId) !== walk) return;
    this.clearTimer(userId);
    const delay = Math.max(0, at - this.deps.clock.now());
    const timer = setTimeout(() => {
      this.timers.delete(userId);
      if (this.walks.get(userId) !== walk) return;
      run().catch((err: unknown) => this.deps.onError?.(err));
    }, delay);
    timer.unref?.();
    this.timers.set(userId, timer);
  }

  private endWalk(walk: Walk): void {
    if (this.walks.get(walk.seeker.userId) === walk) this.stopWalk(walk.seeker.userId);
  }

  private stopWalk(userId: string): void {
    this.walks.delete(userId);
    this.clearTimer(userId);
  }

  private clearTimer(userId: string): void {
    const timer = this.timers.get(userId);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(userId);
    }
  }
}
