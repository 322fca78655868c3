/** GET /api/config: the limits the web client shows and enforces up front. */
import { Router } from 'express';
import type { Config } from '../config';
import { MAX_INTERESTS, MAX_INTEREST_LENGTH } from '../matchmaking/interests';

export function clientConfigRouter(config: Config): Router {
  const body = {
    maxMessageLength: config.maxMessageLength,
    maxInterests: MAX_INTERESTS,
    maxInterestLength: MAX_INTEREST_LENGTH,
    randomFallbackMs: config.randomFallbackMs,
    typingTimeoutMs: config.typingTimeoutMs,
  };
  const router = Router();
  router.get('/api/config', (_req, res) => {
    res.json(body);
  });
  return router;
}
