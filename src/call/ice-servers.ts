/**
 * The ICE servers a video chat's user receives: the TURN server's URLs with
 * time-limited credentials of that user, and the STUN URLs.
 *
 * The credentials follow the TURN REST API scheme (draft-uberti-behave-turn-rest,
 * coturn's `use-auth-secret`): the username is `<expiry epoch seconds>:<userId>`
 * and the password base64(HMAC-SHA1(secret, username)). coturn, holding the same
 * secret as `static-auth-secret`, recomputes the password and refuses a username
 * whose expiry has passed, so a node hands out credentials without telling the
 * TURN server anything. node:crypto's HMAC is all it takes; no library.
 */
import { createHmac } from 'node:crypto';
import type { IceServer } from '../protocol';

/** What the ICE servers are built from (TURN_URLS, TURN_SECRET, TURN_TTL_S, STUN_URLS). */
export interface IceSettings {
  turnUrls: readonly string[];
  turnSecret: string | undefined;
  turnTtlS: number;
  stunUrls: readonly string[];
}

/** A TURN username and password, valid until `expiresAt` (epoch seconds). */
export interface TurnCredentials {
  username: string;
  credential: string;
  expiresAt: number;
}

/** The TURN REST API credentials of `userId`, valid for `ttlS` seconds from `nowMs`. */
export function turnCredentials(secret: string, userId: string, nowMs: number, ttlS: number): TurnCredentials {
  const expiresAt = Math.floor(nowMs / 1000) + ttlS;
  const username = `${expiresAt}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}

/**
 * The `iceServers` of one user at `nowMs`: TURN with fresh credentials when
 * TURN is set, then STUN when set; empty when neither is (the browsers then
 * reach each other only on a direct path).
 */
export function iceServers(settings: IceSettings, userId: string, nowMs: number): IceServer[] {
  const out: IceServer[] = [];
  if (settings.turnUrls.length > 0 && settings.turnSecret) {
    const { username, credential } = turnCredentials(settings.turnSecret, userId, nowMs, settings.turnTtlS);
    out.push({ urls: [...settings.turnUrls], username, credential });
  }
  if (settings.stunUrls.length > 0) out.push({ urls: [...settings.stunUrls] });
  return out;
}
