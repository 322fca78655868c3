/**
 * The searches this node saw end in a pair, remembered for a short while.
 * A candidate read just before its search was paired still looks like a
 * waiter; passing it over spares a lock and a commit bound to fail. A
 * search is named by its user and its start time, so a new search of the
 * same user is a candidate again at once. Should two searches ever share a
 * start time, the newer one is passed over as contended, never as absent:
 * the seeker tries again, so no pairing is lost, only delayed.
 */
export class RecentPairs {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private rotatedAt: number;

  constructor(
    private readonly now: () => number,
    /** Entries live between one and two of these. */
    private readonly lifetimeMs = 5000,
  ) {
    this.rotatedAt = now();
  }

  add(userId: string, since: number): void {
    this.rotate();
    this.current.set(userId, since);
  }

  /** A new search of this user starts here. */
  forget(userId: string): void {
    this.current.delete(userId);
    this.previous.delete(userId);
  }

  /** True when this search of this user is known to be paired. */
  has(userId: string, since: number): boolean {
    this.rotate();
    return (this.current.get(userId) ?? this.previous.get(userId)) === since;
  }

  private rotate(): void {
    const now = this.now();
    if (now - this.rotatedAt < this.lifetimeMs) return;
    this.previous = now - this.rotatedAt < 2 * this.lifetimeMs ? this.current : new Map();
    this.current = new Map();
    this.rotatedAt = now;
  }
}
