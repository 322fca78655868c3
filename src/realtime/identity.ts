/**
 * Anonymous identities: a nanoid user id and a token `<id>.<hmac>` signed with
 * SESSION_SECRET. Any node holding the same secret accepts the token, so a
 * user keeps its cooldown, history and blocks across reloads and nodes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { nanoid } from 'nanoid';

const USER_ID = /^[A-Za-z0-9_-]{21}$/;

export interface Identity {
  userId: string;
  token: string;
}

export class IdentityIssuer {
  constructor(private readonly secret: string) {}

  private mac(userId: string): Buffer {
    return createHmac('sha256', this.secret).update(`parley:user:${userId}`).digest();
  }

  /** A fresh identity. */
  issue(): Identity {
    const userId = nanoid();
    return { userId, token: this.sign(userId) };
  }

  sign(userId: string): string {
    return `${userId}.${this.mac(userId).toString('base64url')}`;
  }

  /** The user id of a valid token, or null for anything else. */
  verify(token: unknown): string | null {
    if (typeof token !== 'string' || token.length > 128) return null;
    const dot = token.indexOf('.');
    const userId = token.slice(0, dot);
    if (dot < 0 || !USER_ID.test(userId)) return null;
    // Compared as text: base64url decoding ignores stray characters and unused bits,
    // so only the exact string sign() makes names this identity.
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(userId).toString('base64url'));
    return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
  }

  /** Keeps the identity of a valid token, else issues a new one. */
  resolve(token: unknown): Identity {
    const userId = this.verify(token);
    return userId ? { userId, token: token as string } : this.issue();
  }
}
