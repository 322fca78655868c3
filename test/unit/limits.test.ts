import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createLimits, type LimiterOptions } from '../../src/backend/limits';
import { loadConfig } from '../../src/config';

test('every limiter keeps its Redis name and takes its points and window (in whole seconds) from its settings', () => {
  const config = loadConfig({ ROOM_CREATE_PER_IP_LIMIT: '7', ROOM_CREATE_PER_IP_WINDOW_MS: '1500', EVENT_RATE_LIMIT: '42' });
  const built = new Map<string, LimiterOptions>();
  const limits = createLimits(config, (name, options) => {
    built.set(name, options);
    return new RateLimiterMemory(options);
  });

  // The names are the limiters' Redis keys under REDIS_PREFIX: a rolling update shares them with older nodes.
  expect(Object.fromEntries(Object.entries(limits).map(([key, limiter]) => [key, limiter.points]))).toEqual({
    match: config.matchRateLimit,
    handshake: config.handshakeRateLimit,
    roomMessage: config.roomMessageRateLimit,
    roomCreate: config.roomCreateRateLimit,
    roomCreatePerIp: 7,
    dm: config.dmRateLimit,
    typing: config.typingRateLimit,
    callSignal: config.callSignalRateLimit,
    roomJoin: config.roomJoinRateLimit,
    event: 42,
    heavy: config.heavyEventRateLimit,
    newIdentity: config.newIdentityLimit,
    reportAddress: config.reportAddressLimit,
  });
  expect([...built.keys()]).toEqual([
    'match',
    'handshake',
    'room-message',
    'room-create',
    'room-create-ip',
    'dm',
    'typing',
    'call-signal',
    'room-join',
    'event',
    'heavy',
    'new-identity',
    'report-address',
  ]);
  expect(built.get('room-create-ip')).toEqual({ points: 7, duration: 2 });
  expect(built.get('match')).toEqual({ points: config.matchRateLimit, duration: Math.ceil(config.matchRateWindowMs / 1000) });
});
