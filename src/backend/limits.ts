/**
 * The node's rate limiters, written once: each limiter's name (its Redis key),
 * its points and its window, read from the config. The memory and the Redis
 * backend build the same table, each with its own kind of limiter.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { Limits } from '../realtime/context';

/** A setting of the config that holds a number. */
type NumberSetting = { [K in keyof Config]: Config[K] extends number ? K : never }[keyof Config];

interface LimitRow {
  /** The limiter's name: its key under the Redis prefix. */
  name: string;
  /** Points per window. */
  limit: NumberSetting;
  /** The window, in ms. */
  window: NumberSetting;
}

const LIMITS: { readonly [K in keyof Limits]: LimitRow } = {
  match: { name: 'match', limit: 'matchRateLimit', window: 'matchRateWindowMs' },
  handshake: { name: 'handshake', limit: 'handshakeRateLimit', window: 'handshakeRateWindowMs' },
  roomMessage: { name: 'room-message', limit: 'roomMessageRateLimit', window: 'roomMessageRateWindowMs' },
  roomCreate: { name: 'room-create', limit: 'roomCreateRateLimit', window: 'roomCreateRateWindowMs' },
  roomCreatePerIp: { name: 'room-create-ip', limit: 'roomCreatePerIpLimit', window: 'roomCreatePerIpWindowMs' },
  dm: { name: 'dm', limit: 'dmRateLimit', window: 'dmRateWindowMs' },
  typing: { name: 'typing', limit: 'typingRateLimit', window: 'typingRateWindowMs' },
  callSignal: { name: 'call-signal', limit: 'callSignalRateLimit', window: 'callSignalRateWindowMs' },
  roomJoin: { name: 'room-join', limit: 'roomJoinRateLimit', window: 'roomJoinRateWindowMs' },
  event: { name: 'event', limit: 'eventRateLimit', window: 'eventRateWindowMs' },
  heavy: { name: 'heavy', limit: 'heavyEventRateLimit', window: 'heavyEventRateWindowMs' },
  newIdentity: { name: 'new-identity', limit: 'newIdentityLimit', window: 'newIdentityWindowMs' },
  reportAddress: { name: 'report-address', limit: 'reportAddressLimit', window: 'reportAddressWindowMs' },
};

/** rate-limiter-flexible's options for a limit: points per whole seconds. */
export interface LimiterOptions {
  points: number;
  duration: number;
}

/** Builds every limiter of the table with `make` (given the row's name and options). */
export function createLimits(config: Config, make: (name: string, options: LimiterOptions) => RateLimiterAbstract): Limits {
  const entries = Object.entries(LIMITS).map(([key, row]) => [
    key,
    make(row.name, { points: config[row.limit], duration: Math.ceil(config[row.window] / 1000) }),
  ]);
  return Object.fromEntries(entries) as unknown as Limits;
}
