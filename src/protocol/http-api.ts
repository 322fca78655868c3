/**
 * The public HTTP API's JSON: what a client reads before and beside its
 * socket (docs/openapi.yaml lists the routes). The operator API's shapes are
 * in admin-api.ts.
 */
import type { ErrorCode } from './errors';
import type { OnlineCountEvent } from './events';
import type { RoomInfo } from './rooms';

/**
 * GET /api/config: the limits a client shows and enforces up front, and what
 * the safety gate asks of it before it connects.
 */
export interface ClientConfigResponse {
  /** MAX_MESSAGE_LENGTH: longer chat, room and direct messages are refused (MESSAGE_TOO_LONG). */
  maxMessageLength: number;
  /** Interests per search. */
  maxInterests: number;
  /** Characters per interest (and per room topic). */
  maxInterestLength: number;
  /** RANDOM_FALLBACK_MS: how long a search with interests waits before anyone may be matched. */
  randomFallbackMs: number;
  /** TYPING_TIMEOUT_MS: a typing indicator not renewed within this ends. */
  typingTimeoutMs: number;
  /** RULES_GATE: true when searches, room joins and room creation wait for `accept-rules`. */
  rulesGate: boolean;
  /** The version of the English rules (the text is at GET /rules; each translation, at GET /rules?lang=, has its own version, and `accept-rules` takes any current one). */
  rulesVersion: string;
  /** The minimum age `accept-rules` confirms. */
  minAge: number;
  /** LINK_DELAY_MS: how long into a chat links are refused (LINK_NOT_ALLOWED). */
  linkDelayMs: number;
  /** True when a new identity must solve a proof-of-work challenge (GET /api/challenge) and pass it as `auth.pow`. */
  pow: boolean;
  /** CONTACT_OFFER_MS: how long after a chat `keep-in-touch` still works. */
  contactOfferMs: number;
  /** DM_RETENTION_DAYS: how long direct messages are kept. */
  dmRetentionDays: number;
  /** REPORT_WINDOW_MS: how long after a chat its partner can still be reported. */
  reportWindowMs: number;
  /** ROOM_EDIT_WINDOW_MS: how long after sending a member may edit or delete its own room message. */
  roomEditWindowMs: number;
}

/** GET /api/challenge: an ALTCHA proof-of-work challenge, valid for POW_TTL_MS; its solution goes in `auth.pow`. */
export interface ChallengeResponse {
  algorithm: 'SHA-1' | 'SHA-256' | 'SHA-512';
  /** The hash to find the number for. */
  challenge: string;
  /** The number lies in [0, maxnumber]. */
  maxnumber?: number;
  /** Carries the challenge's expiry. */
  salt: string;
  signature: string;
}

/** GET /api/challenge while proof of work is off (POW_DIFFICULTY=0): 404 with this body. */
export interface ChallengeOffResponse {
  error: string;
}

/** GET /api/rooms: a page of the public list, most members first, then most recently active. */
export interface RoomListPage {
  rooms: RoomInfo[];
  /** Public rooms in all. */
  total: number;
  offset: number;
  limit: number;
  /** The offset of the next page; null on the last one. */
  nextOffset: number | null;
}

/** GET /api/rooms/:code. */
export interface RoomResponse {
  room: RoomInfo;
}

/** One block of the rules: a heading, a paragraph or a list item. */
export type RulesBlock = { kind: 'heading'; level: 1 | 2; text: string } | { kind: 'paragraph' | 'item'; text: string };

/**
 * GET /rules with `Accept: application/json` (otherwise an HTML page), in the
 * language of `?lang=` (else Accept-Language, else English).
 */
export interface RulesResponse {
  /** BCP 47 code of the text's language. */
  language: string;
  /** The version `accept-rules` names: a hash of this language's text, so each language has its own. */
  version: string;
  minAge: number;
  blocks: RulesBlock[];
}

/** GET /health: liveness; 503 while the store does not answer. */
export interface HealthResponse {
  status: 'ok' | 'unavailable';
  nodeId: string;
  store: 'memory' | 'redis';
  /** With DATABASE_URL only; reported, never a reason for 503. */
  postgres?: 'up' | 'down';
  /** Seconds since the node started. */
  uptimeS: number;
}

/** GET /health/ready: readiness for new clients; 503 unless `ready`. */
export interface ReadinessResponse {
  status: 'ready' | 'draining' | 'unavailable';
  nodeId: string;
}

/** GET /stats: the figures of `online-count`, and each live node's connections. */
export interface StatsResponse extends OnlineCountEvent {
  nodes: { nodeId: string; connections: number }[];
  /**
   * Waiting users per primary language (`find-match`'s `languages`), read
   * just after the other figures: the 20 most common languages by name,
   * `other` for the rest, and `any` for searches that named no language. A
   * user counts once in each language it named, so the figures may add up
   * to more than `waiting`.
   */
  waitingByLanguage: Record<string, number>;
  /** Waiting users per mode (`find-match`'s `mode`); `video` is `waitingVideo`, and the two add up to `waiting`. */
  waitingByMode: { text: number; video: number };
}

/** Codes of HTTP errors: the socket's codes, and two of the operator API's own. */
export type HttpErrorCode = ErrorCode | 'NOT_FOUND' | 'UNAUTHORIZED';

/** The body of an HTTP error (4xx, 5xx). */
export interface HttpError {
  error: { code: HttpErrorCode; message: string };
}
