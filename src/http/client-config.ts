/**
 * GET /api/config: the limits the web client shows and enforces up front, and
 * what the safety gate asks of it: the rules version to accept (the text is
 * at /rules), the minimum age, and whether a new identity must solve a
 * proof-of-work challenge (GET /api/challenge) before connecting; and the
 * windows it shows (keeping in touch, DM retention, reporting after a chat,
 * editing one's own room message).
 */
import { Router } from 'express';
import type { Config } from '../config';
import type { ClientConfigResponse } from '../protocol';
import type { Rules } from '../moderation/rules';
import { MAX_INTERESTS, MAX_INTEREST_LENGTH } from '../matchmaking/interests';

export function clientConfigRouter(config: Config, rules: Rules): Router {
  const body: ClientConfigResponse = {
    maxMessageLength: config.maxMessageLength,
    maxInterests: MAX_INTERESTS,
    maxInterestLength: MAX_INTEREST_LENGTH,
    randomFallbackMs: config.randomFallbackMs,
    typingTimeoutMs: config.typingTimeoutMs,
    rulesGate: config.rulesGate,
    rulesVersion: rules.version,
    minAge: config.minAge,
    linkDelayMs: config.linkDelayMs,
    pow: config.powDifficulty > 0,
    contactOfferMs: config.contactOfferMs,
    dmRetentionDays: config.dmRetentionDays,
    reportWindowMs: config.reportWindowMs,
    roomEditWindowMs: config.roomEditWindowMs,
  };
  const router = Router();
  router.get('/api/config', (_req, res) => {
    res.json(body);
  });
  return router;
}
