/**
 * The only reader of `process.env`. Every setting is parsed once with zod into
 * a frozen, typed object; a bad value stops the process with a message naming
 * the variable.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './client-address';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const ms = (fallback: number) => int(fallback, 0);

const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off']).default(fallback).transform((v) => v === 'on');
const filterPolicy = (fallback: ContentFilterPolicy) => z.enum(['off', 'mask', 'block']).default(fallback);

/** What a content filter does with a message that holds a listed word. */
export type ContentFilterPolicy = 'off' | 'mask' | 'block';

/** A comma list of URLs with one of these schemes (`turn:host:3478?transport=udp`, `stun:host:3478`). */
const iceUrls = (schemes: readonly string[]) =>
  z
    .string()
    .transform((raw) => raw.split(',').map((url) => url.trim()).filter(Boolean))
    .pipe(
      z
        .array(
          z
            .string()
            .max(300)
            .regex(new RegExp(`^(${schemes.join('|')}):[^\\s,]+$`), `each a ${schemes.map((s) => `${s}:`).join(' or ')} URL`),
        )
        .max(10),
    )
    .optional();

const schema = z.object({
  PORT: int(3001).pipe(z.number().max(65535)),
  HOST: z.string().min(1).default('0.0.0.0'),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(
      /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/,
      'comma-separated host:port seed nodes of a Redis Cluster',
    )
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, ".", "_" or "-", at most 32')
    .default('parley'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SESSION_SECRET_PREVIOUS: z.string().min(16, 'must be at least 16 characters').optional(),
  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseTrustProxy(raw);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          message: `false, a number of proxies, or a comma list of addresses, CIDRs, loopback, linklocal, uniquelocal (${(err as Error).message})`,
        });
        return z.NEVER;
      }
    }),
  MATCH_COOLDOWN_MS: ms(3000),
  REMATCH_WINDOW_MS: ms(86_400_000),
  RANDOM_FALLBACK_MS: ms(5000),
  BLOCK_TTL_MS: int(2_592_000_000, 1),
  MATCH_SCAN_PAGE: int(100, 1).pipe(z.number().max(10_000)),
  MATCH_SCAN_STEP_MS: int(20, 1),
  MATCH_RESCAN_MS: int(30_000, 100),
  MAX_MESSAGE_LENGTH: int(1000, 1),
  MESSAGE_RATE_LIMIT: int(20, 1),
  MESSAGE_RATE_WINDOW_MS: int(10_000, 1000),
  MATCH_RATE_LIMIT: int(10, 1),
  MATCH_RATE_WINDOW_MS: int(10_000, 1000),
  TYPING_TIMEOUT_MS: int(5000, 100),
  TYPING_RATE_LIMIT: int(30, 1),
  TYPING_RATE_WINDOW_MS: int(10_000, 1000),
  TYPING_COALESCE_MS: ms(300).pipe(z.number().max(5000)),
  PRESENCE_FRAMES_PER_SECOND: int(1000, 100),
  CALL_SIGNAL_RATE_LIMIT: int(120, 1),
  CALL_SIGNAL_RATE_WINDOW_MS: int(10_000, 1000),
  TURN_URLS: iceUrls(['turn', 'turns']),
  TURN_SECRET: z.string().min(16, 'must be at least 16 characters (make one with: openssl rand -hex 32)').optional(),
  TURN_TTL_S: int(3600, 60).pipe(z.number().max(86_400 * 7)),
  STUN_URLS: iceUrls(['stun', 'stuns']),
  ROOM_JOIN_RATE_LIMIT: int(20, 1),
  ROOM_JOIN_RATE_WINDOW_MS: int(10_000, 1000),
  EVENT_RATE_LIMIT: int(30, 1),
  EVENT_RATE_WINDOW_MS: int(10_000, 1000),
  HEAVY_EVENT_RATE_LIMIT: int(10, 1),
  HEAVY_EVENT_RATE_WINDOW_MS: int(60_000, 1000),
  RESUME_GRACE_MS: ms(15_000),
  DRAIN_TIMEOUT_MS: ms(10_000),
  MAX_CONNECTIONS_PER_IP: int(50, 1),
  HANDSHAKE_RATE_LIMIT: int(60, 1),
  HANDSHAKE_RATE_WINDOW_MS: int(10_000, 1000),
  NEW_IDENTITY_LIMIT: int(20, 1),
  NEW_IDENTITY_WINDOW_MS: int(3_600_000, 1000),
  BAN_ADDRESS_MARK_MS: ms(86_400_000),
  ROOMS_PER_USER: int(5, 1),
  ROOM_MAX_MEMBERS: int(200, 2),
  ROOM_KICK_MS: ms(600_000),
  ROOM_MAX_PINS: int(3, 1),
  ROOM_EDIT_WINDOW_MS: ms(900_000),
  ROOM_MESSAGE_RATE_LIMIT: int(20, 1),
  ROOM_MESSAGE_RATE_WINDOW_MS: int(10_000, 1000),
  ROOM_CREATE_RATE_LIMIT: int(5, 1),
  ROOM_CREATE_RATE_WINDOW_MS: int(60_000, 1000),
  ROOM_HISTORY_DAYS: int(30, 1),
  ROOM_EMPTY_TTL_HOURS: z.coerce.number().positive().max(24 * 365).default(3),
  ROOM_CREATE_PER_IP_LIMIT: int(20, 1),
  ROOM_CREATE_PER_IP_WINDOW_MS: int(3_600_000, 1000),
  ROOMS_LIST_CACHE_MS: int(3000, 0).pipe(z.number().max(60_000)),
  CONTACT_OFFER_MS: ms(300_000),
  CONTACTS_MAX: int(200, 1),
  DM_RATE_LIMIT: int(30, 1),
  DM_RATE_WINDOW_MS: int(10_000, 1000),
  DM_RETENTION_DAYS: int(30, 1),
  ROOMS: z
    .string()
    .regex(/^[a-z0-9-]{1,32}(,[a-z0-9-]{1,32})*$/, 'comma-separated room codes of a-z, 0-9 and "-"')
    .optional(),
  RULES_GATE: onOff('on'),
  MIN_AGE: int(18, 13).pipe(z.number().max(99)),
  CHAT_CONTENT_FILTER: filterPolicy('off'),
  ROOM_CONTENT_FILTER: filterPolicy('mask'),
  LINK_DELAY_MS: ms(30_000),
  POW_DIFFICULTY: int(50_000, 0).pipe(z.number().max(100_000_000)),
  POW_TTL_MS: int(300_000, 10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters (make one with: openssl rand -hex 32)')
    .optional(),
  REPORT_WINDOW_MS: ms(600_000),
  REPORT_SUSPEND_THRESHOLD: int(3, 1),
  REPORT_RETENTION_DAYS: int(90, 1),
  REPORT_MIN_IDENTITY_AGE_MS: ms(900_000),
  REPORT_MIN_IDENTITY_MESSAGES: int(5, 0),
  REPORT_ADDRESS_LIMIT: int(10, 1),
  REPORT_ADDRESS_WINDOW_MS: int(3_600_000, 1000),
});

/** Every environment variable parley reads, as the schema names them. */
export const SETTING_NAMES: readonly string[] = Object.freeze(Object.keys(schema.shape));

export interface Config {
  readonly port: number;
  readonly host: string;
  /** This node's id, shown in /health and /stats. */
  readonly nodeId: string;
  /** Unset (and no cluster nodes): single node with in-memory store and adapter. */
  readonly redisUrl: string | undefined;
  /**
   * Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES), instead of one Redis:
   * the store, the sharded Socket.IO adapter, the lock and the rate limits all
   * run on the cluster. Undefined with REDIS_URL or with neither.
   */
  readonly redisClusterNodes: readonly { readonly host: string; readonly port: number }[] | undefined;
  /** Prefix of every Redis key and of the adapter channel. */
  readonly redisPrefix: string;
  /**
   * PostgreSQL, the durable store. Unset: nothing durable, nothing changes.
   * Set: migrations run at start; /health reports whether it answers.
   */
  readonly databaseUrl: string | undefined;
  /** HMAC key of identity tokens. */
  readonly sessionSecret: string;
  /**
   * The secret before the current one, while it is rotated: tokens it signed
   * still name their identity and are signed anew with SESSION_SECRET.
   */
  readonly sessionSecretPrevious: string | undefined;
  /** Allowed browser origins; empty means same origin only. */
  readonly corsOrigins: readonly string[];
  /**
   * The proxies in front whose X-Forwarded-For entries are believed, by
   * Express's `trust proxy` rules: false (none), a hop count, or addresses.
   */
  readonly trustProxy: TrustProxy;
  readonly matchCooldownMs: number;
  readonly rematchWindowMs: number;
  readonly randomFallbackMs: number;
  readonly blockTtlMs: number;
  /** Waiters one step of a search's walk through its pools reads. */
  readonly scanPage: number;
  /** Pause between the steps of a walk's pass in progress. */
  readonly scanStepMs: number;
  /** After a whole pass found no one, a waiter reads one more page every this long. */
  readonly rescanMs: number;
  readonly maxMessageLength: number;
  readonly messageRateLimit: number;
  readonly messageRateWindowMs: number;
  readonly matchRateLimit: number;
  readonly matchRateWindowMs: number;
  readonly typingTimeoutMs: number;
  /** Typing signals (`typing`, `room-typing`, `dm-typing` together) per identity per window, cluster-wide. */
  readonly typingRateLimit: number;
  readonly typingRateWindowMs: number;
  /** A typing indicator reaches the others at most once per this long (per sender and place); 0 relays every change. */
  readonly typingCoalesceMs: number;
  /** `online-count` frames a node pushes per second at most (figure pushes to all its clients). */
  readonly presenceFramesPerSecond: number;
  /** `call-signal` events (offers, answers, ICE candidates) per identity per window, cluster-wide. */
  readonly callSignalRateLimit: number;
  readonly callSignalRateWindowMs: number;
  /** TURN_URLS: the TURN server's `turn:`/`turns:` URLs handed to video chats; empty: no TURN (STUN only). */
  readonly turnUrls: readonly string[];
  /** TURN_SECRET: coturn's `static-auth-secret`, signing each user's time-limited TURN credentials. */
  readonly turnSecret: string | undefined;
  /** TURN_TTL_S: how long TURN credentials stay valid, in seconds. */
  readonly turnTtlS: number;
  /** STUN_URLS: `stun:`/`stuns:` URLs handed to video chats beside TURN. */
  readonly stunUrls: readonly string[];
  /** `room-join` requests per identity per window, cluster-wide. */
  readonly roomJoinRateLimit: number;
  readonly roomJoinRateWindowMs: number;
  /** Requests of each other event per identity per window, cluster-wide (each event counted on its own). */
  readonly eventRateLimit: number;
  readonly eventRateWindowMs: number;
  /** Requests of each costly event (`settings`, `report`, `delete-identity`) per identity per window, cluster-wide. */
  readonly heavyEventRateLimit: number;
  readonly heavyEventRateWindowMs: number;
  /** How long a chat waits for a user whose connection dropped; 0 ends it at once. */
  readonly resumeGraceMs: number;
  /** On SIGTERM, how long the node waits for its clients to move before it exits. */
  readonly drainTimeoutMs: number;
  /** Live connections one IP address may hold across the cluster. */
  readonly maxConnectionsPerIp: number;
  /** Connection attempts per IP address per window, cluster-wide. */
  readonly handshakeRateLimit: number;
  readonly handshakeRateWindowMs: number;
  /** Topic rooms one user may be in at once (besides a one-to-one chat). */
  readonly roomsPerUser: number;
  /** Members a topic room holds at most. */
  readonly roomMaxMembers: number;
  /** How long a user kicked from a room may not rejoin it. */
  readonly roomKickMs: number;
  /** Messages a room holds pinned at once. */
  readonly roomMaxPins: number;
  /** How long after sending a member may edit or delete its own room message. */
  readonly roomEditWindowMs: number;
  /** Room messages per user per window, cluster-wide. */
  readonly roomMessageRateLimit: number;
  readonly roomMessageRateWindowMs: number;
  /** Rooms a user may create per window, cluster-wide. */
  readonly roomCreateRateLimit: number;
  readonly roomCreateRateWindowMs: number;
  /** How far back a room's history is served. */
  readonly roomHistoryDays: number;
  /** How long a room a user created stays once its last member left (rooms of ROOMS stay). */
  readonly roomEmptyTtlMs: number;
  /** Rooms one address (by its keyed hash, IPv6 by /64) may create per window, cluster-wide. */
  readonly roomCreatePerIpLimit: number;
  readonly roomCreatePerIpWindowMs: number;
  /** How long a node reuses its copy of the public room list (GET /api/rooms); 0: no copy. */
  readonly roomsListCacheMs: number;
  /** How long after a one-to-one chat either side may still ask to keep in touch. */
  readonly contactOfferMs: number;
  /** Contacts one identity may keep. */
  readonly contactsMax: number;
  /** Direct messages per user per window, cluster-wide. */
  readonly dmRateLimit: number;
  readonly dmRateWindowMs: number;
  /** How long direct messages are kept (and served by `dm-history`); older ones are purged. */
  readonly dmRetentionDays: number;
  /** Public rooms created at start when missing (their code is also their title and topic). */
  readonly rooms: readonly string[];
  /**
   * Searches, room joins and room creation wait until the identity has sent
   * `accept-rules` for the current rules version. Off for API clients that
   * show no rules.
   */
  readonly rulesGate: boolean;
  /** The age a user confirms with `accept-rules`. */
  readonly minAge: number;
  /** What happens to one-to-one chat messages with listed words. */
  readonly chatContentFilter: ContentFilterPolicy;
  /** What happens to room messages with listed words. */
  readonly roomContentFilter: ContentFilterPolicy;
  /** Links are refused in a one-to-one chat's first this many ms. */
  readonly linkDelayMs: number;
  /**
   * Proof of work a new identity does at the handshake: ALTCHA's `maxNumber`,
   * so a browser hashes about half of it on average. 0 turns it off.
   */
  readonly powDifficulty: number;
  /** How long a challenge of GET /api/challenge stays valid (and its solution remembered). */
  readonly powTtlMs: number;
  readonly logLevel: string;
  /** Bearer token of the operator console and its API; undefined disables both. */
  readonly adminToken: string | undefined;
  /** How long after a one-to-one chat its partner may be reported (and its log is kept for that). */
  readonly reportWindowMs: number;
  /** Independent reporters within an hour that suspend a user until an operator reviews it. */
  readonly reportSuspendThreshold: number;
  /** How long reports and their evidence are kept. */
  readonly reportRetentionDays: number;
  /** Settings accepted with a caveat, logged as warnings at start. */
  readonly warnings: readonly string[];
  /** A reporter counts towards a suspension only if its identity was first seen at least this long before it reported. */
  readonly reportMinIdentityAgeMs: number;
  /** … and has sent at least this many messages (chats, rooms, DMs). */
  readonly reportMinIdentityMessages: number;
  /** Reports one address (IPv6 by /64) may file per REPORT_ADDRESS_WINDOW_MS, cluster-wide. */
  readonly reportAddressLimit: number;
  readonly reportAddressWindowMs: number;
  /** New identities (handshakes without a valid token) one address may get per NEW_IDENTITY_WINDOW_MS, cluster-wide. */
  readonly newIdentityLimit: number;
  readonly newIdentityWindowMs: number;
  /**
   * After an identity ban, the banned identity's last address gets no new
   * identity for this long (or the ban's own length if shorter); 0 turns it off.
   */
  readonly banAddressMarkMs: number;
}

/** Thrown when the environment holds a bad value; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Parses the environment (process.env by default) into a frozen Config. */
export function loadConfig(env: Env = process.env): Config {
  // An empty variable counts as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.REDIS_URL && e.REDIS_CLUSTER_NODES) {
    throw new ConfigError(
      'invalid configuration\n  REDIS_URL, REDIS_CLUSTER_NODES: set one of them, not both (one Redis, or the seed nodes of a Redis Cluster)',
    );
  }
  const shared = e.REDIS_URL ? 'REDIS_URL' : e.REDIS_CLUSTER_NODES ? 'REDIS_CLUSTER_NODES' : undefined;
  if (shared && !e.SESSION_SECRET) {
    throw new ConfigError(
      `invalid configuration\n  SESSION_SECRET: required when ${shared} is set (every node must sign identity tokens with the same key)`,
    );
  }
  if (e.SESSION_SECRET_PREVIOUS && !e.SESSION_SECRET) {
    throw new ConfigError(
      'invalid configuration\n  SESSION_SECRET_PREVIOUS: set only beside SESSION_SECRET (the new secret; the previous one still verifies tokens)',
    );
  }
  // A secret alone is harmless (one Secret serves deployments with and without TURN); URLs need it.
  if (e.TURN_URLS?.length && !e.TURN_SECRET) {
    throw new ConfigError(
      'invalid configuration\n  TURN_URLS, TURN_SECRET: TURN_URLS needs TURN_SECRET (the secret the TURN server shares with the nodes)',
    );
  }
  const clusterNodes = e.REDIS_CLUSTER_NODES?.split(',').map((seed) => {
    const at = seed.lastIndexOf(':');
    const port = Number(seed.slice(at + 1));
    if (port < 1 || port > 65535) {
      throw new ConfigError(`invalid configuration\n  REDIS_CLUSTER_NODES: port out of range in "${seed}"`);
    }
    return Object.freeze({ host: seed.slice(0, at), port });
  });
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    nodeId: e.NODE_ID ?? `node-${randomUUID().slice(0, 8)}`,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: clusterNodes && Object.freeze(clusterNodes),
    redisPrefix: e.REDIS_PREFIX,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionSecretPrevious: e.SESSION_SECRET_PREVIOUS,
    corsOrigins: Object.freeze(
      (e.CORS_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
    trustProxy: e.TRUST_PROXY.trust,
    matchCooldownMs: e.MATCH_COOLDOWN_MS,
    rematchWindowMs: e.REMATCH_WINDOW_MS,
    randomFallbackMs: e.RANDOM_FALLBACK_MS,
    blockTtlMs: e.BLOCK_TTL_MS,
    scanPage: e.MATCH_SCAN_PAGE,
    scanStepMs: e.MATCH_SCAN_STEP_MS,
    rescanMs: e.MATCH_RESCAN_MS,
    maxMessageLength: e.MAX_MESSAGE_LENGTH,
    messageRateLimit: e.MESSAGE_RATE_LIMIT,
    messageRateWindowMs: e.MESSAGE_RATE_WINDOW_MS,
    matchRateLimit: e.MATCH_RATE_LIMIT,
    matchRateWindowMs: e.MATCH_RATE_WINDOW_MS,
    typingTimeoutMs: e.TYPING_TIMEOUT_MS,
    typingRateLimit: e.TYPING_RATE_LIMIT,
    typingRateWindowMs: e.TYPING_RATE_WINDOW_MS,
    typingCoalesceMs: e.TYPING_COALESCE_MS,
    presenceFramesPerSecond: e.PRESENCE_FRAMES_PER_SECOND,
    callSignalRateLimit: e.CALL_SIGNAL_RATE_LIMIT,
    callSignalRateWindowMs: e.CALL_SIGNAL_RATE_WINDOW_MS,
    turnUrls: Object.freeze(e.TURN_URLS ?? []),
    turnSecret: e.TURN_SECRET,
    turnTtlS: e.TURN_TTL_S,
    stunUrls: Object.freeze(e.STUN_URLS ?? []),
    roomJoinRateLimit: e.ROOM_JOIN_RATE_LIMIT,
    roomJoinRateWindowMs: e.ROOM_JOIN_RATE_WINDOW_MS,
    eventRateLimit: e.EVENT_RATE_LIMIT,
    eventRateWindowMs: e.EVENT_RATE_WINDOW_MS,
    heavyEventRateLimit: e.HEAVY_EVENT_RATE_LIMIT,
    heavyEventRateWindowMs: e.HEAVY_EVENT_RATE_WINDOW_MS,
    resumeGraceMs: e.RESUME_GRACE_MS,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    handshakeRateLimit: e.HANDSHAKE_RATE_LIMIT,
    handshakeRateWindowMs: e.HANDSHAKE_RATE_WINDOW_MS,
    roomsPerUser: e.ROOMS_PER_USER,
    roomMaxMembers: e.ROOM_MAX_MEMBERS,
    roomKickMs: e.ROOM_KICK_MS,
    roomMaxPins: e.ROOM_MAX_PINS,
    roomEditWindowMs: e.ROOM_EDIT_WINDOW_MS,
    roomMessageRateLimit: e.ROOM_MESSAGE_RATE_LIMIT,
    roomMessageRateWindowMs: e.ROOM_MESSAGE_RATE_WINDOW_MS,
    roomCreateRateLimit: e.ROOM_CREATE_RATE_LIMIT,
    roomCreateRateWindowMs: e.ROOM_CREATE_RATE_WINDOW_MS,
    roomHistoryDays: e.ROOM_HISTORY_DAYS,
    roomEmptyTtlMs: Math.round(e.ROOM_EMPTY_TTL_HOURS * 3_600_000),
    roomCreatePerIpLimit: e.ROOM_CREATE_PER_IP_LIMIT,
    roomCreatePerIpWindowMs: e.ROOM_CREATE_PER_IP_WINDOW_MS,
    roomsListCacheMs: e.ROOMS_LIST_CACHE_MS,
    contactOfferMs: e.CONTACT_OFFER_MS,
    contactsMax: e.CONTACTS_MAX,
    dmRateLimit: e.DM_RATE_LIMIT,
    dmRateWindowMs: e.DM_RATE_WINDOW_MS,
    dmRetentionDays: e.DM_RETENTION_DAYS,
    rooms: Object.freeze([...new Set((e.ROOMS ?? '').split(',').filter(Boolean))]),
    rulesGate: e.RULES_GATE,
    minAge: e.MIN_AGE,
    chatContentFilter: e.CHAT_CONTENT_FILTER,
    roomContentFilter: e.ROOM_CONTENT_FILTER,
    linkDelayMs: e.LINK_DELAY_MS,
    powDifficulty: e.POW_DIFFICULTY,
    powTtlMs: e.POW_TTL_MS,
    logLevel: e.LOG_LEVEL,
    adminToken: e.ADMIN_TOKEN,
    reportWindowMs: e.REPORT_WINDOW_MS,
    reportSuspendThreshold: e.REPORT_SUSPEND_THRESHOLD,
    reportRetentionDays: e.REPORT_RETENTION_DAYS,
    warnings: Object.freeze(e.TRUST_PROXY.warning ? [e.TRUST_PROXY.warning] : []),
    reportMinIdentityAgeMs: e.REPORT_MIN_IDENTITY_AGE_MS,
    reportMinIdentityMessages: e.REPORT_MIN_IDENTITY_MESSAGES,
    reportAddressLimit: e.REPORT_ADDRESS_LIMIT,
    reportAddressWindowMs: e.REPORT_ADDRESS_WINDOW_MS,
    newIdentityLimit: e.NEW_IDENTITY_LIMIT,
    newIdentityWindowMs: e.NEW_IDENTITY_WINDOW_MS,
    banAddressMarkMs: e.BAN_ADDRESS_MARK_MS,
  });
}

/** For entry points: the config, or a message on stderr and exit code 1 when it is bad. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`parley: ${err.message}\n`);
    process.exit(1);
  }
}
