/**
 * The operator console's gate: `Authorization: Bearer <ADMIN_TOKEN>`, compared
 * in constant time (both sides hashed to the same length first); requests per
 * address limited, failed attempts much more tightly. Nothing here sets CORS
 * headers, so browsers on other origins cannot read the answers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Requests per address per minute, and failed authentications per address per 10 minutes. */
export const ADMIN_REQUESTS_PER_MINUTE = 300;
export const ADMIN_FAILURES_PER_10_MINUTES = 10;

const digest = (value: string) => createHash('sha256').update(value).digest();

export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function adminGate(token: string) {
  const requests = new RateLimiterMemory({ points: ADMIN_REQUESTS_PER_MINUTE, duration: 60 });
  const failures = new RateLimiterMemory({ points: ADMIN_FAILURES_PER_10_MINUTES, duration: 600 });
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const ip = req.ip ?? 'unknown';
    res.set('Cache-Control', 'no-store');
    try {
      const failed = await failures.get(ip);
      if (failed && failed.consumedPoints >= ADMIN_FAILURES_PER_10_MINUTES) throw failed;
      await requests.consume(ip);
    } catch (err) {
      if (err instanceof RateLimiterRes) res.set('Retry-After', String(Math.ceil(err.msBeforeNext / 1000)));
      return refuse(res, 429, 'RATE_LIMITED', 'Too many requests, slow down.');
    }
    if (!bearerMatches(req.get('authorization'), token)) {
      await failures.consume(ip).catch(() => undefined);
      res.set('WWW-Authenticate', 'Bearer');
      return refuse(res, 401, 'UNAUTHORIZED', 'A valid operator token is required.');
    }
    next();
  };
}
