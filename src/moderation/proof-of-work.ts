/**
 * Bot protection without a third party: ALTCHA proof-of-work challenges,
 * created and verified here with `altcha-lib`. A challenge is a SHA-256 hash
 * of a random salt and a secret number in [0, difficulty]; the client finds the
 * number by trying them in turn (about difficulty / 2 hashes on average). The
 * challenge carries its expiry in the salt and an HMAC signature with a key
 * derived from SESSION_SECRET, so any node can verify it; a solution is
 * accepted once across the cluster (the store remembers it until it expires).
 */
import { createHmac } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';

/** What GET /api/challenge hands out: ALTCHA's challenge JSON. */
export type PowChallenge = Awaited<ReturnType<typeof createChallenge>>;

/** Where used solutions are remembered (the match store). */
export interface PowReplayStore {
  /** Records `id` for `ttlMs`; false if it was already recorded. */
  claimOnce(id: string, ttlMs: number, now: number): Promise<boolean>;
}

export interface ProofOfWorkOptions {
  /** POW_DIFFICULTY: ALTCHA's maxNumber; 0 turns the check off. */
  difficulty: number;
  /** How long a challenge stays valid. */
  ttlMs: number;
  /** SESSION_SECRET; the HMAC key is derived from it, never used as is. */
  secret: string;
}

/** A payload is base64 JSON of a few short fields: anything much longer is refused unread. */
const MAX_PAYLOAD_LENGTH = 1024;

export type PowVerdict = 'ok' | 'missing' | 'invalid' | 'reused';

export class ProofOfWork {
  private readonly hmacKey: string;

  constructor(
    private readonly options: ProofOfWorkOptions,
    private readonly store: PowReplayStore,
  ) {
    this.hmacKey = createHmac('sha256', options.secret).update('parley:pow').digest('hex');
  }

  get enabled(): boolean {
    return this.options.difficulty > 0;
  }

  /** A fresh signed challenge, valid for POW_TTL_MS. */
  challenge(now: number): Promise<PowChallenge> {
    return createChallenge({
      hmacKey: this.hmacKey,
      maxNumber: this.options.difficulty,
      expires: new Date(now + this.options.ttlMs),
    });
  }

  /**
   * Checks a solution (the base64 JSON payload ALTCHA clients produce) and
   * spends it: the same solution is 'reused' on any node until it expires.
   */
  async verify(payload: unknown, now: number): Promise<PowVerdict> {
    if (payload === undefined || payload === null || payload === '') return 'missing';
    if (typeof payload !== 'string' || payload.length > MAX_PAYLOAD_LENGTH) return 'invalid';
    let decoded: { signature?: unknown; salt?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as typeof decoded;
    } catch {
      return 'invalid';
    }
    if (typeof decoded !== 'object' || decoded === null || typeof decoded.signature !== 'string') return 'invalid';
    // verifySolution checks the expiry against the wall clock; the store's TTL uses `now`.
    if (!(await verifySolution(payload, this.hmacKey, true).catch(() => false))) return 'invalid';
    const expires = Number(extractParams(payload).expires) * 1000;
    const ttlMs = Number.isFinite(expires) && expires > now ? expires - now : this.options.ttlMs;
    return (await this.store.claimOnce(`pow:${decoded.signature}`, ttlMs, now)) ? 'ok' : 'reused';
  }
}
