/**
 * Coordination across nodes: a lock over named resources. The matchmaker
 * takes one around a pairing and the reaper around a sweep; the store's
 * atomic steps stay the fence, so an expired lock costs work, never state.
 */

/** Signals the lock could not be taken (someone else holds it). */
export const LOCK_BUSY = Symbol('lock-busy');

/** Runs `fn` while holding a lock on every resource, or returns LOCK_BUSY. */
export interface Locker {
  withLock<T>(resources: readonly string[], fn: () => Promise<T>): Promise<T | typeof LOCK_BUSY>;
}

/** Runs without locking: a single process whose store steps are atomic anyway. */
export const noLock: Locker = {
  withLock: (_resources, fn) => fn(),
};
