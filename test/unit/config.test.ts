import { ConfigError, loadConfig } from '../../src/config';

test('defaults give a single in-memory node on :3001', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    port: 3001,
    host: '0.0.0.0',
    redisUrl: undefined,
    redisPrefix: 'parley',
    databaseUrl: undefined,
    matchCooldownMs: 3000,
    rematchWindowMs: 86_400_000,
    randomFallbackMs: 5000,
    blockTtlMs: 2_592_000_000,
    maxMessageLength: 1000,
    messageRateLimit: 20,
    messageRateWindowMs: 10_000,
    matchRateLimit: 10,
    matchRateWindowMs: 10_000,
    typingTimeoutMs: 5000,
    logLevel: 'info',
    corsOrigins: [],
    trustProxy: false,
  });
  expect(config.nodeId).toMatch(/^node-/);
  expect(config.sessionSecret).toHaveLength(64);
  expect(Object.isFrozen(config)).toBe(true);
});

test('a bad value stops start-up with a message naming the variable', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  expect(() => loadConfig({ MATCH_COOLDOWN_MS: '-1' })).toThrow(/MATCH_COOLDOWN_MS/);
  expect(() => loadConfig({ REDIS_URL: 'localhost:6379', SESSION_SECRET: 'x'.repeat(16) })).toThrow(/REDIS_URL/);
  expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
});

test('REDIS_URL requires a shared SESSION_SECRET', () => {
  expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/SESSION_SECRET.*required/);
  const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', SESSION_SECRET: 's'.repeat(32) });
  expect(config.sessionSecret).toBe('s'.repeat(32));
});

test('SESSION_SECRET_PREVIOUS verifies old tokens only beside a SESSION_SECRET', () => {
  const config = loadConfig({ SESSION_SECRET: 'n'.repeat(32), SESSION_SECRET_PREVIOUS: 'o'.repeat(32) });
  expect(config).toMatchObject({ sessionSecret: 'n'.repeat(32), sessionSecretPrevious: 'o'.repeat(32) });
  expect(loadConfig({}).sessionSecretPrevious).toBeUndefined();
  expect(() => loadConfig({ SESSION_SECRET_PREVIOUS: 'o'.repeat(32) })).toThrow(/SESSION_SECRET_PREVIOUS: set only beside SESSION_SECRET/);
  expect(() => loadConfig({ SESSION_SECRET: 'n'.repeat(32), SESSION_SECRET_PREVIOUS: 'short' })).toThrow(/SESSION_SECRET_PREVIOUS/);
});

test('CORS_ORIGINS is a trimmed comma-separated list', () => {
  expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example ,' }).corsOrigins).toEqual([
    'https://a.example',
    'https://b.example',
  ]);
});

test('DATABASE_URL is an optional postgres:// or postgresql:// URL', () => {
  for (const url of ['postgres://parley@127.0.0.1:5432/parley', 'postgresql://u:p@db.internal/parley?sslmode=require']) {
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  }
  expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  expect(() => loadConfig({ DATABASE_URL: 'mysql://127.0.0.1/parley' })).toThrow(/DATABASE_URL.*postgres:\/\//);
  expect(() => loadConfig({ DATABASE_URL: '127.0.0.1:5432' })).toThrow(/DATABASE_URL/);
});

test('ROOMS lists the public rooms to create, each once; a bad code names the variable', () => {
  expect(loadConfig({ ROOMS: 'general,music,general' }).rooms).toEqual(['general', 'music']);
  expect(loadConfig({}).rooms).toEqual([]);
  expect(loadConfig({}).roomsPerUser).toBe(5);
  expect(() => loadConfig({ ROOMS: 'General Chat' })).toThrow(/ROOMS/);
});

test('the safety settings default to the rules gate on, room masking and proof of work a phone solves in about a second', () => {
  expect(loadConfig({})).toMatchObject({
    rulesGate: true,
    minAge: 18,
    chatContentFilter: 'off',
    roomContentFilter: 'mask',
    linkDelayMs: 30_000,
    powDifficulty: 50_000,
    powTtlMs: 300_000,
  });
  // 0 stays allowed: API-only deployments turn the proof of work off.
  const set = loadConfig({ RULES_GATE: 'off', MIN_AGE: '16', CHAT_CONTENT_FILTER: 'block', ROOM_CONTENT_FILTER: 'off', POW_DIFFICULTY: '0' });
  expect(set).toMatchObject({ rulesGate: false, minAge: 16, chatContentFilter: 'block', roomContentFilter: 'off', powDifficulty: 0 });
  expect(() => loadConfig({ RULES_GATE: 'maybe' })).toThrow(/RULES_GATE/);
  expect(() => loadConfig({ ROOM_CONTENT_FILTER: 'censor' })).toThrow(/ROOM_CONTENT_FILTER/);
  expect(() => loadConfig({ MIN_AGE: '5' })).toThrow(/MIN_AGE/);
  expect(() => loadConfig({ POW_DIFFICULTY: '-1' })).toThrow(/POW_DIFFICULTY/);
});

test('REDIS_CLUSTER_NODES gives the seed nodes of a Redis Cluster and, like REDIS_URL, needs SESSION_SECRET', () => {
  expect(() => loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(/SESSION_SECRET: required when REDIS_CLUSTER_NODES/);
  const config = loadConfig({ REDIS_CLUSTER_NODES: 'redis-0.internal:6379,10.0.0.2:7001', SESSION_SECRET: 's'.repeat(32) });
  expect(config.redisUrl).toBeUndefined();
  expect(config.redisClusterNodes).toEqual([
    { host: 'redis-0.internal', port: 6379 },
    { host: '10.0.0.2', port: 7001 },
  ]);
  expect(loadConfig({}).redisClusterNodes).toBeUndefined();
});

test('REDIS_URL and REDIS_CLUSTER_NODES together stop start-up with a message naming both', () => {
  const both = () =>
    loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000', SESSION_SECRET: 's'.repeat(32) });
  expect(both).toThrow(ConfigError);
  expect(both).toThrow(/REDIS_URL, REDIS_CLUSTER_NODES: set one of them, not both/);
});

test('a malformed REDIS_CLUSTER_NODES is refused', () => {
  for (const bad of ['redis://127.0.0.1:7000', '127.0.0.1', '127.0.0.1:7000,', '127.0.0.1:70000']) {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: bad, SESSION_SECRET: 's'.repeat(32) })).toThrow(/REDIS_CLUSTER_NODES/);
  }
});

test('a short ADMIN_TOKEN stops start-up with a command that makes a valid one', () => {
  expect(() => loadConfig({ ADMIN_TOKEN: 'too-short' })).toThrow(/ADMIN_TOKEN: must be at least 32 characters.*openssl rand -hex 32/);
  expect(loadConfig({ ADMIN_TOKEN: 'f'.repeat(64) }).adminToken).toBe('f'.repeat(64));
});

test('TRUST_PROXY is false, a number of proxies, or their addresses; true means one proxy, with a warning', () => {
  for (const off of [undefined, '', 'false', '0', 'no']) expect(loadConfig({ TRUST_PROXY: off })).toMatchObject({ trustProxy: false, warnings: [] });
  expect(loadConfig({ TRUST_PROXY: '2' })).toMatchObject({ trustProxy: 2, warnings: [] });
  expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
  const legacy = loadConfig({ TRUST_PROXY: 'true' });
  expect(legacy.trustProxy).toBe(1);
  expect(legacy.warnings).toEqual([expect.stringMatching(/TRUST_PROXY=true.*1/)]);
  expect(() => loadConfig({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY: .*invalid IP address: nginx/);
  expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
  expect(() => loadConfig({ TRUST_PROXY: '1000' })).toThrow(/TRUST_PROXY/);
});

test('the room list settings: empty rooms go after hours, rooms per address are budgeted, the list is cached for seconds', () => {
  expect(loadConfig({})).toMatchObject({
    roomEmptyTtlMs: 3 * 3_600_000,
    roomCreatePerIpLimit: 20,
    roomCreatePerIpWindowMs: 3_600_000,
    roomsListCacheMs: 3000,
  });
  expect(loadConfig({ ROOM_EMPTY_TTL_HOURS: '0.5', ROOMS_LIST_CACHE_MS: '0' })).toMatchObject({ roomEmptyTtlMs: 1_800_000, roomsListCacheMs: 0 });
  expect(() => loadConfig({ ROOM_EMPTY_TTL_HOURS: '0' })).toThrow(/ROOM_EMPTY_TTL_HOURS/);
  expect(() => loadConfig({ ROOM_CREATE_PER_IP_LIMIT: '0' })).toThrow(/ROOM_CREATE_PER_IP_LIMIT/);
  expect(() => loadConfig({ ROOMS_LIST_CACHE_MS: '120000' })).toThrow(/ROOMS_LIST_CACHE_MS/);
});
