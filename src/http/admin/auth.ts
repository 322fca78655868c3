/**
 * The operator console's gate: `Authorization: Bearer <ADMIN_TOKEN>` (the
 * scheme in any case), compared in constant time (both sides hashed to the
 * same length first); requests per address limited, wrong tokens much more
 * tightly. Only a wrong token counts as a failure (not a request without one,
 * nor a CORS preflight), and the right token is let through even while its
 * address is locked out, so operators behind a shared address keep their
 * console. Nothing here sets CORS headers, so browsers on other origins
 * cannot read the answers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { HttpError, HttpErrorCode } from '../../protocol';
import { bearerToken } from '../bearer';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Requests per address per minute, and failed authentications per address per 10 minutes. */
export const ADMIN_REQUESTS_PER_MINUTE = 300;
export const ADMIN_FAILURES_PER_10_MINUTES = 10;

const digest = (value: string) => createHash('sha256').update(value).digest();

export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = bearerToken(header);
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** A request that offers a credential: a preflight or a request without one guesses nothing. */
const offersCredential = (req: Request) => req.method !== 'OPTIONS' && (req.get('authorization') ?? '').trim() !== '';

function limited(res: Response, err: unknown): void {
  if (err instanceof RateLimiterRes) res.set('Retry-After', String(Math.ceil(err.msBeforeNext / 1000)));
  refuse(res, 429, 'RATE_LIMITED', 'Too many requests, slow down.');
}

function refuse(res: Response, status: number, code: HttpErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } } satisfies HttpError);
}

export function adminGate(token: string) {
  const requests = new RateLimiterMemory({ points: ADMIN_REQUESTS_PER_MINUTE, duration: 60 });
  const failures = new RateLimiterMemory({ points: ADMIN_FAILURES_PER_10_MINUTES, duration: 600 });
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const ip = req.ip ?? 'unknown';
    res.set('Cache-Control', 'no-store');
    try {
      await requests.consume(ip);
    } catch (err) {
      return limited(res, err);
    }
    if (bearerMatches(req.get('authorization'), token)) return next();
    if (offersCredential(req)) {
      try {
        await failures.consume(ip);
      } catch (err) {
        return limited(res, err);
      }
    }
    res.set('WWW-Authenticate', 'Bearer');
    refuse(res, 401, 'UNAUTHORIZED', 'A valid operator token is required.');
  };
}
