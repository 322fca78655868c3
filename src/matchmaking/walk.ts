/**
 * Where one waiter's search stands on the node running it: which part of its
 * pools it reads next, and when someone it saw but may not meet yet will be
 * allowed. Plain bookkeeping, no I/O; the matchmaker drives it.
 *
 * A search reads in steps. The first read of a pass is the window (oldest,
 * neighbours, newest of each pool); every later read is a page from the
 * cursor on, so a pass reads every pool whole in `pool size / page` steps,
 * whatever the pool's size. A waiter keeps walking after a pass has found
 * no one, one page at a time and at a low rate, so the work per waiter per
 * second stays constant.
 *
 * Each pass also counts whom it saw: the other waiters, and how many of them
 * the seeker may meet (now, or once the interests' fallback allows). A pass
 * that saw others but no one to meet explains a long wait to its user.
 */
import type { SearchStatusEvent } from '../protocol';
import type { PoolCursor } from '../store/match-store';
import type { Seeker } from './eligibility';

/** A pass's counts for the user, and the waiters it saw whom the seeker may not meet. */
export interface PassReport {
  status: SearchStatusEvent;
  kept: string[];
}

/** Wake-ups kept per waiter; past this the earliest are kept and the others found again by a new pass. */
export const MAX_WAKEUPS = 32;

export class Walk {
  /** Where the next page starts; undefined at the start of the first pool. */
  cursor: PoolCursor | undefined;
  /** The next read is the window of a new pass rather than a page. */
  fresh = true;
  /** A whole pass found no one since the walk last (re)started. */
  passed = false;
  private readonly wakeups = new Map<string, number>();
  /** Wake-ups were dropped for room: the next one due starts a new pass. */
  private dropped = false;
  /** Eligible candidates another attempt held: judged again at the next step. */
  private readonly held = new Set<string>();
  /** Other waiters seen in this pass, and whether the seeker may meet each. */
  private readonly seen = new Map<string, boolean>();
  /** The counts last told to the user ("others/eligible"), if any. */
  private told: string | undefined;

  constructor(
    readonly seeker: Seeker,
    /** Whether this search is in the open pools. */
    public open: boolean,
    /** Whether this search is in the pools of any language. */
    public anyLanguage = !seeker.languages?.length,
  ) {}

  /** Starts a new pass from the first pool: the pools changed, or a wake-up asks for it. */
  restart(): void {
    this.cursor = undefined;
    this.fresh = true;
    this.passed = false;
    this.seen.clear();
  }

  /** A waiter this pass read: `mayMeet` unless a block, cooldown or rematch window keeps them apart. */
  see(userId: string, mayMeet: boolean): void {
    if (userId !== this.seeker.userId) this.seen.set(userId, mayMeet);
  }

  /**
   * Moves on after a read that paired no one (`undefined`: nothing was read,
   * stay). At the end of a pass, returns what it saw if that differs from
   * what the user was last told, with the waiters it may not meet.
   */
  advance(next: PoolCursor | null | undefined): PassReport | null {
    if (next === undefined) return null;
    if (this.fresh) {
      this.fresh = false;
      return null;
    }
    if (next !== null) {
      this.cursor = next;
      return null;
    }
    this.passed = true;
    this.cursor = undefined;
    const kept: string[] = [];
    for (const [id, mayMeet] of this.seen) if (!mayMeet) kept.push(id);
    const status = { others: this.seen.size, eligible: this.seen.size - kept.length };
    this.seen.clear();
    const key = `${status.others}/${status.eligible}`;
    if (key === this.told) return null;
    this.told = key;
    return { status, kept };
  }

  /** `userId` may not be paired with this seeker before `at`. */
  wakeAt(userId: string, at: number): void {
    const known = this.wakeups.get(userId);
    if (known !== undefined && known <= at) return;
    this.wakeups.set(userId, at);
    if (this.wakeups.size <= MAX_WAKEUPS) return;
    let latest: string | undefined;
    for (const [id, t] of this.wakeups) if (latest === undefined || t > this.wakeups.get(latest)!) latest = id;
    this.wakeups.delete(latest!);
    this.dropped = true;
  }

  /** These eligible candidates were busy: judge them again at the next step. */
  hold(userIds: readonly string[]): void {
    for (const id of userIds) this.held.add(id);
  }

  /** Takes the held users and the wake-ups due by `now`: whom to judge again, and whether to start a new pass. */
  due(now: number): { recheck: string[]; restart: boolean } {
    const recheck: string[] = [...this.held];
    this.held.clear();
    for (const [id, at] of this.wakeups) {
      if (at > now) continue;
      recheck.push(id);
      this.wakeups.delete(id);
    }
    const restart = recheck.length > 0 && this.dropped;
    if (restart) this.dropped = false;
    return { recheck, restart };
  }

  /** The earliest wake-up, or Infinity. */
  nextWakeup(): number {
    let next = Infinity;
    for (const at of this.wakeups.values()) next = Math.min(next, at);
    return next;
  }
}
