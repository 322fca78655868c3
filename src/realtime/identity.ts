/**
 * Anonymous identities: a nanoid user id and a token `<id>.<hmac>` signed with
 * SESSION_SECRET. Any node holding the same secret accepts the token, so a
 * user keeps its cooldown, history and blocks across reloads and nodes.
 *
 * While a secret is rotated, SESSION_SECRET_PREVIOUS holds the old one: a
 * token it signed still names its identity, and is replaced by one signed with
 * the current secret (the `session` greeting hands the client the new one).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { nanoid } from 'nanoid';

const USER_ID = /^[A-Za-z0-9_-]{21}$/;

export interface Identity {
  userId: string;
  token: string;
}

/** A handshake's identity: `known` when the token given named it, false when it was issued now. */
export interface ResolvedIdentity extends Identity {
  known: boolean;
}

export class IdentityIssuer {
  /** The current secret first: it signs; each of them verifies. */
  private readonly secrets: readonly string[];

  constructor(secret: string, previousSecret?: string) {
    this.secrets = previousSecret && previousSecret !== secret ? [secret, previousSecret] : [secret];
  }

  private mac(secret: string, userId: string): string {
    return createHmac('sha256', secret).update(`parley:user:${userId}`).digest('base64url');
  }

  /** A fresh identity. */
  issue(): Identity {
    const userId = nanoid();
    return { userId, token: this.sign(userId) };
  }

  sign(userId: string): string {
    return `${userId}.${this.mac(this.secrets[0]!, userId)}`;
  }

  /** The user id of a token signed with the current or the previous secret, or null for anything else. */
  verify(token: unknown): string | null {
    if (typeof token !== 'string' || token.length > 128) return null;
    const dot = token.indexOf('.');
    const userId = token.slice(0, dot);
    if (dot < 0 || !USER_ID.test(userId)) return null;
    // Compared as text: base64url decoding ignores stray characters and unused bits,
    // so only the exact string sign() makes names this identity.
    const given = Buffer.from(token.slice(dot + 1));
    const signedBy = this.secrets.some((secret) => {
      const expected = Buffer.from(this.mac(secret, userId));
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    return signedBy ? userId : null;
  }

  /** Keeps the identity of a valid token (signed anew with the current secret), else issues a new one. */
  resolve(token: unknown): ResolvedIdentity {
    const userId = this.verify(token);
    return userId ? { userId, token: this.sign(userId), known: true } : { ...this.issue(), known: false };
  }
}
