/**
 * The searches this node runs. A search does not stop at its first read.
 * Until it is paired, a waiter walks its pools page by page (see walk.ts) —
 * quickly until a whole pass found no one, then one page at a low rate — so
 * two waiters who may meet are found however deep in a pool they sit. Pools
 * are kept per language (see poolOrder in match-pools.ts), so a walk reads
 * only waiters who share a language with it, or accept any language when it
 * does too. Whoever it saw but may not meet yet (cooldown, rematch window,
 * block, fallback, language) is judged again the moment that reason runs out. Every step that leaves the
 * waiter waiting schedules the next one: no search is ever left without a
 * timer. One read and its pairing attempts are in pairing.ts.
 */
import { StoreUnavailableError } from '../errors';
import { acceptsAnyone, barred, eligibleAt, judge, openAt, type MatchPolicy, type Seeker } from './eligibility';
import { acceptsAnyLanguage, anyLanguageAt } from './languages';
import { Pairing, type PairingDeps } from './pairing';
import { Walk, type PassReport } from './walk';

export interface SearchOptions extends MatchPolicy {
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

export interface SearchDeps extends PairingDeps {
  /** Told about failures of background search steps (an unreachable store excepted). */
  onError?: (err: unknown) => void;
}

export type SearchOutcome = 'matched' | 'waiting';

const RETRY_AFTER_CONTENTION_MS = 150;
/** After a failed step (the store did not answer), the walk goes on after this long. */
const RETRY_AFTER_ERROR_MS = 1000;

export class Searches {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The searches this node runs, by user. */
  private readonly walks = new Map<string, Walk>();
  private readonly pairing: Pairing;
  private readonly stepMs: number;
  private readonly rescanMs: number;

  constructor(
    private readonly deps: SearchDeps,
    private readonly options: SearchOptions,
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

  /**
   * Runs the search of a user who has just entered the pools. One still in
   * its cooldown (`active` false) waits until `cooldownUntil`, then enters
   * them and searches.
   */
  start(seeker: Seeker, active: boolean, cooldownUntil: number): Promise<SearchOutcome> {
    this.stop(seeker.userId);
    this.pairing.forget(seeker.userId);
    if (!active) {
      const walk = new Walk(seeker, false);
      this.walks.set(seeker.userId, walk);
      this.schedule(walk, cooldownUntil, () => this.activate(walk));
      return Promise.resolve('waiting');
    }
    const walk = new Walk(seeker, seeker.interests.length === 0);
    this.walks.set(seeker.userId, walk);
    return this.walkOn(walk);
  }

  /** Ends the user's search on this node, if it runs one. */
  stop(userId: string): void {
    this.walks.delete(userId);
    this.clearTimer(userId);
  }

  /** Stops every timer of this node. */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.walks.clear();
  }

  /** Searches this node is running now. */
  get size(): number {
    return this.walks.size;
  }

  /**
   * Cooldown over: enter the pools — the open pools too when the fallback
   * has passed by this same reading of the clock, those of any language when
   * the seeker accepts any by then — then search.
   */
  private async activate(walk: Walk): Promise<void> {
    const { seeker } = walk;
    const now = this.deps.clock.now();
    const open = acceptsAnyone(seeker.interests, seeker.since, now, this.options);
    const anyLanguage = acceptsAnyLanguage(seeker, now);
    if (!(await this.deps.store.activate(seeker.userId, seeker.since, open, anyLanguage))) return this.endWalk(walk);
    walk.open = open;
    walk.anyLanguage = anyLanguage;
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
    // The fallback or the moment to accept any language passed by this
    // reading of the clock: into those pools first. Had the timer fired
    // early, the next step comes at openAt or anyLanguageAt.
    const open = walk.open || acceptsAnyone(seeker.interests, seeker.since, now, this.options);
    const anyLanguage = walk.anyLanguage || acceptsAnyLanguage(seeker, now);
    if (open !== walk.open || anyLanguage !== walk.anyLanguage) {
      if (!(await this.deps.store.activate(seeker.userId, seeker.since, open, anyLanguage))) {
        this.endWalk(walk);
        return 'waiting';
      }
      walk.open = open;
      walk.anyLanguage = anyLanguage;
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
        walk.anyLanguage ? Infinity : (anyLanguageAt(seeker) ?? Infinity),
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
    if (this.walks.get(walk.seeker.userId) === walk) this.stop(walk.seeker.userId);
  }

  private clearTimer(userId: string): void {
    const timer = this.timers.get(userId);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(userId);
    }
  }
}
