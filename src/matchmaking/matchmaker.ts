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
 * One read and its pairing attempts are in pairing.ts.
 */
import { ClientError, StoreUnavailableError } from '../errors';
import type { DisconnectReason } from '../protocol';
import type { ConnectResult, DropResult, LeaveResult } from '../store/match-store';
import { acceptsAnyone, barred, eligibleAt, judge, openAt, type MatchPolicy, type Seeker } from './eligibility';
import { Pairing, type PairingDeps } from './pairing';
import { Walk, type PassReport } from './walk';

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

export interface MatchmakerDeps extends PairingDeps {
  /** Told about failures of background search steps (an unreachable store excepted). */
  onError?: (err: unknown) => void;
}

export type SearchOutcome = 'matched' | 'waiting';

const RETRY_AFTER_CONTENTION_MS = 150;
/** After a failed step (the store did not answer), the walk goes on after this long. */
const RETRY_AFTER_ERROR_MS = 1000;

export class Matchmaker {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The searches this node runs, by user. */
  private readonly walks = new Map<string, Walk>();
  private readonly pairing: Pairing;
  private readonly stepMs: number;
  private readonly rescanMs: number;

  constructor(
    private readonly deps: MatchmakerDeps,
    private readonly options: MatchmakerOptions,
  ) {
    this.pairing = new Pairing(deps, options, {
      head: options.poolHead ?? 8,
      tail: options.poolTail ?? 4,
      near: options.poolNear ?? 4,
      page: options.scanPage ?? 100,
    });
    this.stepMs = options.scanStepMs ?? 20;
    this.rescanMs = options.rescanMs ?? 30_000;
  }

  /** Starts a search (or restarts it with new interests). */
  async find(userId: string, interests: readonly string[]): Promise<SearchOutcome> {
    const now = this.deps.clock.now();
    const entry = await this.deps.store.enqueue(userId, interests, now);
    if (!entry.ok) throw new ClientError('ALREADY_IN_CHAT');
    this.changed(userId);
    this.stopWalk(userId);
    this.pairing.forget(userId);
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
    if (r.previous === 'waiting') this.changed(userId);
    return r.previous === 'waiting';
  }

  /** Ends the user's chat; the partner is told why. */
  async leaveChat(userId: string, reason: Exclude<DisconnectReason, 'disconnected'>): Promise<void> {
    const r = await this.leave(userId, 'chat');
    if (r.previous !== 'chatting') throw new ClientError('NOT_IN_CHAT');
    this.tellPartner(userId, r, reason);
  }

  /** Ends the current chat, if any, and searches again. */
  async next(userId: string, interests: readonly string[]): Promise<SearchOutcome> {
    const r = await this.leave(userId, 'chat');
    this.tellPartner(userId, r, 'skipped');
    return this.find(userId, interests);
  }

  /** Blocks the current (else the most recent) partner and ends the chat. */
  async block(userId: string): Promise<void> {
    const now = this.deps.clock.now();
    const target = await this.deps.store.block(userId, now, this.options.blockTtlMs);
    if (!target) throw new ClientError('NOT_IN_CHAT', 'There is no one to block.');
    const r = await this.leave(userId, 'chat');
    this.tellPartner(userId, r, 'left');
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
   * A connection still open on a node that was swept as dead while alive is
   * attached again: as `connect`, except that a search started since the
   * sweep (its user was told to start over) goes on, walk and all.
   */
  async reconnect(userId: string, sid: string, nodeId: string): Promise<ConnectResult> {
    const r = await this.deps.store.connect({ userId, sid, nodeId, keepSearch: true });
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
    for (const e of expired) {
      this.deps.notifier.partnerLeft(e.partnerId, { roomId: e.roomId, reason: 'disconnected' });
      this.changed(e.partnerId);
    }
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
    for (const r of dropped) {
      this.tellDropped(r);
      // Heard only if the node was alive after all (slow to reach the store, not dead).
      if (r.kind === 'search-ended' || r.kind === 'chat-ended') this.deps.notifier.stateLost(r.userId);
    }
    return dropped.length;
  }

  private tellDropped(r: DropResult): void {
    if (!r.partnerId || !r.roomId) return;
    if (r.kind === 'away') this.deps.notifier.partnerAway(r.partnerId, { roomId: r.roomId });
    if (r.kind === 'chat-ended') {
      this.deps.notifier.partnerLeft(r.partnerId, { roomId: r.roomId, reason: 'disconnected' });
    }
    this.changed(r.partnerId);
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

  private tellPartner(userId: string, r: LeaveResult, reason: DisconnectReason): void {
    if (r.previous === 'chatting' && r.partnerId && r.roomId) {
      this.deps.notifier.partnerLeft(r.partnerId, { roomId: r.roomId, reason });
      this.changed(userId, r.partnerId);
    }
  }

  private changed(...userIds: string[]): void {
    this.deps.onStateChange?.(userIds);
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
   * window read that found no one; 150 ms later after contention;
   * `scanStepMs` later while a pass is under way, else `rescanMs` later —
   * or sooner, at a wake-up or the fallback.
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
      const read = await this.pairing.search(walk, recheck);
      recheck = [];
      if (read.kind === 'matched' || read.kind === 'over') {
        this.endWalk(walk);
        return read.kind === 'matched' ? 'matched' : 'waiting';
      }
      walk.hold(read.held);
      for (const c of read.candidates) {
        walk.see(c.userId, !barred(c, read.now, this.options));
        if (judge(seeker, c, read.now, this.options)) continue;
        const at = eligibleAt(seeker, c, this.options);
        if (at !== null) walk.wakeAt(c.userId, Math.max(at, read.now + 1));
      }
      const pass = walk.advance(read.cursor);
      if (pass) this.report(seeker.userId, pass);
      if (fresh && !walk.passed && read.kind === 'none') continue;
      // After contention the next step waits a little longer whatever the
      // pass: busy users are being paired, and re-reading sooner only adds load.
      const next =
        read.kind === 'contended' ? RETRY_AFTER_CONTENTION_MS : walk.passed ? this.rescanMs : this.stepMs;
      const at = Math.min(
        read.now + next,
        walk.nextWakeup(),
        walk.open ? Infinity : openAt(seeker.interests, seeker.since, this.options),
      );
      this.schedule(walk, at, () => this.step(walk));
      return 'waiting';
    }
  }

  /**
   * Tells the waiter what its pass saw. Those it may not meet see it too, in
   * their own counts: a walk of theirs on this node starts a new pass now
   * instead of at its next rescan (on another node, its rescan counts it).
   * Passes are started only on a change of counts, so this settles.
   */
  private report(userId: string, pass: PassReport): void {
    this.deps.notifier.searchStatus?.(userId, pass.status);
    for (const id of pass.kept) {
      const other = this.walks.get(id);
      if (!other?.passed) continue;
      other.restart();
      this.schedule(other, this.deps.clock.now(), () => this.step(other));
    }
  }

  /**
   * A background step; a failure leaves the walk going, a little later. An
   * unreachable store is not reported per waiter: health and metrics show it.
   */
  private async step(walk: Walk): Promise<void> {
    try {
      await this.walkOn(walk);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) this.deps.onError?.(err);
      this.schedule(walk, this.deps.clock.now() + RETRY_AFTER_ERROR_MS, () => this.step(walk));
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
