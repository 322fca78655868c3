/**
 * A time per ordered pair of users, as the single node keeps rematch history
 * (when two users last chatted) and blocks (until when one blocks the other).
 */
export class PairTimes {
  private readonly byUser = new Map<string, Map<string, number>>();

  get(id: string, other: string): number | undefined {
    return this.byUser.get(id)?.get(other);
  }

  has(id: string): boolean {
    return this.byUser.has(id);
  }

  /** Sets the time of (id, other), first dropping id's entries that `expired` says are gone. */
  set(id: string, other: string, at: number, expired: (at: number) => boolean): void {
    let entries = this.byUser.get(id);
    if (!entries) {
      entries = new Map();
      this.byUser.set(id, entries);
    }
    for (const [o, t] of entries) if (expired(t)) entries.delete(o);
    entries.set(other, at);
  }

  prune(expired: (at: number) => boolean): void {
    for (const [id, entries] of this.byUser) {
      for (const [other, at] of entries) if (expired(at)) entries.delete(other);
      if (entries.size === 0) this.byUser.delete(id);
    }
  }
}
