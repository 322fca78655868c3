/** What every event handler receives. */
import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { ContactService } from '../contacts/contact-service';
import type { DmService } from '../contacts/dm-service';
import type { Metrics } from '../metrics';
import type { Matchmaker } from '../matchmaking/matchmaker';
import type { Enforcement } from '../moderation/enforcement';
import type { ReportService } from '../moderation/report-service';
import type { RoomService } from '../rooms/room-service';
import type { Clock } from '../clock';
import type { IpHasher } from '../moderation/ip-hash';
import type { ProofOfWork } from '../moderation/proof-of-work';
import type { RulesGate } from '../moderation/rules-gate';
import type { OneToOneStore } from '../store/one-to-one-store';
import type { RoomChannels } from './room-channels';
import type { KeyedTypingRelay } from './keyed-typing-relay';
import type { TypingRelay } from './typing-relay';
import type { ParleyIo, ParleySocket } from './types';

/** Cluster-wide (with Redis) rate limiters, each keyed by user id or IP; the event budgets of event-budgets.ts use them. */
export interface Limits {
  match: RateLimiterAbstract;
  handshake: RateLimiterAbstract;
  roomMessage: RateLimiterAbstract;
  roomCreate: RateLimiterAbstract;
  /** Rooms created per address, keyed by the address's keyed hash (as bans are). */
  roomCreatePerIp: RateLimiterAbstract;
  dm: RateLimiterAbstract;
  typing: RateLimiterAbstract;
  /** `call-signal`: offers, answers and ICE candidates. */
  callSignal: RateLimiterAbstract;
  roomJoin: RateLimiterAbstract;
  /** Keyed by user id and event: each event has its own count. */
  event: RateLimiterAbstract;
  heavy: RateLimiterAbstract;
  /** Keyed by address hash: handshakes without a valid token (NEW_IDENTITY_LIMIT). */
  newIdentity: RateLimiterAbstract;
  /** Keyed by address hash: reports (REPORT_ADDRESS_LIMIT). */
  reportAddress: RateLimiterAbstract;
}

/** Node-wide services, built once by the server. */
export interface Services {
  config: Config;
  io: ParleyIo;
  store: OneToOneStore;
  matchmaker: Matchmaker;
  clock: Clock;
  logger: Logger;
  rooms: RoomService;
  /** Puts connections into their topic rooms' channels. */
  roomChannels: RoomChannels;
  contacts: ContactService;
  dms: DmService;
  /** Reports from users. */
  reports: ReportService;
  /** Bans and suspensions in force. */
  enforcement: Enforcement;
  limits: Limits;
  /** A node silent for this long counts as gone. */
  nodeTtlMs: number;
  newMessageId: () => string;
  metrics: Metrics;
  /** The rules and age gate (RULES_GATE, MIN_AGE). */
  rulesGate: RulesGate;
  /** The handshake's proof of work (POW_DIFFICULTY). */
  pow: ProofOfWork;
  /** Keyed address hash (the only form in which addresses are stored or counted). */
  hashIp: IpHasher;
}

/** One connection's view: who it is and its per-socket helpers. */
export interface HandlerContext {
  userId: string;
  socket: ParleySocket;
  services: Services;
  typing: TypingRelay;
  /** Typing indicators in topic rooms (by code) and to contacts (by contact id). */
  roomTyping: KeyedTypingRelay;
  dmTyping: KeyedTypingRelay;
}
