/**
 * The Locker of a cluster: a Redlock over both users of a pairing. It keeps
 * nodes from racing for the same waiters; correctness does not rest on it
 * (commit-pair re-checks everything atomically).
 */
import { Redlock, ResourceLockedError, ExecutionError } from '@sesamecare-oss/redlock';
import type { Cluster, Redis } from 'ioredis';
import { LOCK_BUSY, type Locker } from '../locker';
import type { Keys } from './keys';

/** Long enough for one commit round trip; expiry is a safety net only. */
const LOCK_TTL_MS = 2000;

export class RedlockLocker implements Locker {
  private readonly redlock: Redlock;

  constructor(
    client: Redis | Cluster,
    private readonly keys: Keys,
  ) {
    // No retries: a held lock means another node is pairing one of these
    // users; the matchmaker moves on to its next candidate at once.
    this.redlock = new Redlock([client], {
      retryCount: 0,
      retryDelay: 15,
      retryJitter: 25,
      automaticExtensionThreshold: 500,
    });
    // Contention is expected and handled by the caller; do not crash on it.
    this.redlock.on('error', () => undefined);
  }

  async withLock<T>(resources: readonly string[], fn: () => Promise<T>): Promise<T | typeof LOCK_BUSY> {
    // Sorted, so two nodes locking the same pair ask in the same order.
    const names = [...resources].sort().map((id) => this.keys.lock(id));
    let lock;
    try {
      lock = await this.redlock.acquire(names, LOCK_TTL_MS);
    } catch (err) {
      // No quorum within the retries: someone else holds one of the users.
      // (Were Redis down, the store's own next call reports it.)
      if (err instanceof ExecutionError || err instanceof ResourceLockedError) return LOCK_BUSY;
      throw err;
    }
    try {
      return await fn();
    } finally {
      await lock.release().catch(() => undefined);
    }
  }
}
