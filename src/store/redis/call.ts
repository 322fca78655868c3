/**
 * How every Redis store runs a step: connection-level failures become
 * StoreUnavailableError (callers answer UNAVAILABLE); script errors are bugs,
 * not outages, and surface as they are (INTERNAL).
 */
import { StoreUnavailableError } from '../../errors';

/** Connection-level failures become StoreUnavailableError, so callers can answer UNAVAILABLE. */
export function unavailable(err: unknown): unknown {
  const message = err instanceof Error ? err.message : '';
  // Script errors are bugs, not outages: let them surface as INTERNAL.
  if (/ERR|WRONGTYPE|NOSCRIPT/.test(message) && !/LOADING|READONLY/.test(message)) return err;
  return new StoreUnavailableError(err);
}

/** Runs one store step, turning an outage into StoreUnavailableError. */
export async function call<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw unavailable(err);
  }
}
