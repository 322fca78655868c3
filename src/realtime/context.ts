/** What every event handler receives. */
import type { Logger } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { Metrics } from '../metrics';
import type { Matchmaker } from '../matchmaking/matchmaker';
import type { Clock } from '../matchmaking/ports';
import type { MatchStore } from '../store/store';
import type { TypingRelay } from './typing-relay';
import type { ParleyIo, ParleySocket } from './types';

/** Node-wide services, built once by the server. */
export interface Services {
  config: Config;
  io: ParleyIo;
  store: MatchStore;
  matchmaker: Matchmaker;
  clock: Clock;
  logger: Logger;
  limits: { match: RateLimiterAbstract; handshake: RateLimiterAbstract };
  /** A node silent for this long counts as gone. */
  nodeTtlMs: number;
  newMessageId: () => string;
  metrics: Metrics;
}

/** One connection's view: who it is and its per-socket helpers. */
export interface HandlerContext {
  userId: string;
  socket: ParleySocket;
  services: Services;
  typing: TypingRelay;
}
