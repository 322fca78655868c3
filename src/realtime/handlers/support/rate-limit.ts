/** Spends one point of a user's budget; over budget → RATE_LIMITED. */
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { StoreUnavailableError } from '../../../errors';

export async function spend(limiter: RateLimiterAbstract, userId: string): Promise<void> {
  try {
    await limiter.consume(userId);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw err;
    throw new StoreUnavailableError(err);
  }
}
