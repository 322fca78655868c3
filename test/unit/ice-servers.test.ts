import { createHmac } from 'node:crypto';
import { iceServers, turnCredentials } from '../../src/call/ice-servers';
import { loadConfig } from '../../src/config';

const SECRET = 'a-shared-secret-of-turn';
const NOW_MS = 1_700_000_000_500;

test('TURN credentials follow the TURN REST API scheme: <expiry epoch s>:<userId>, base64 HMAC-SHA1 of it under the secret', () => {
  const c = turnCredentials(SECRET, 'user-1', NOW_MS, 3600);
  expect(c).toEqual({ username: '1700003600:user-1', credential: 'L7W0x8vhlU69DdY2duXcfsB4WT8=', expiresAt: 1_700_003_600 });
  // The value above, as `openssl dgst -sha1 -hmac <secret> -binary | base64` gives it; and as coturn recomputes it.
  expect(c.credential).toBe(createHmac('sha1', SECRET).update(c.username).digest('base64'));
});

test('each user gets its own credentials, and they expire TURN_TTL_S after they were made', () => {
  const a = turnCredentials(SECRET, 'a', NOW_MS, 60);
  const b = turnCredentials(SECRET, 'b', NOW_MS, 60);
  expect(a.credential).not.toBe(b.credential);
  expect(a.expiresAt).toBe(Math.floor(NOW_MS / 1000) + 60);
  expect(turnCredentials('another-secret-of-turn', 'a', NOW_MS, 60).credential).not.toBe(a.credential);
});

test('iceServers: TURN with the user’s credentials then STUN; STUN only without TURN; nothing without either', () => {
  const turn = { turnUrls: ['turn:t.example:3478?transport=udp', 'turns:t.example:5349'], turnSecret: SECRET, turnTtlS: 3600 };
  const stun = ['stun:s.example:3478'];
  expect(iceServers({ ...turn, stunUrls: stun }, 'user-1', NOW_MS)).toEqual([
    { urls: turn.turnUrls, username: '1700003600:user-1', credential: 'L7W0x8vhlU69DdY2duXcfsB4WT8=' },
    { urls: stun },
  ]);
  expect(iceServers({ turnUrls: [], turnSecret: undefined, turnTtlS: 3600, stunUrls: stun }, 'user-1', NOW_MS)).toEqual([{ urls: stun }]);
  expect(iceServers({ turnUrls: [], turnSecret: undefined, turnTtlS: 3600, stunUrls: [] }, 'user-1', NOW_MS)).toEqual([]);
});

test('the TURN and STUN settings: lists of URLs of their schemes, TURN_URLS and TURN_SECRET together, TURN_TTL_S an hour by default', () => {
  const none = loadConfig({});
  expect(none).toMatchObject({ turnUrls: [], turnSecret: undefined, turnTtlS: 3600, stunUrls: [], callSignalRateLimit: 120, callSignalRateWindowMs: 10_000 });
  const set = loadConfig({ TURN_URLS: 'turn:a:3478, turns:b:5349?transport=tcp', TURN_SECRET: SECRET, TURN_TTL_S: '600', STUN_URLS: 'stun:c:3478' });
  expect(set).toMatchObject({ turnUrls: ['turn:a:3478', 'turns:b:5349?transport=tcp'], turnSecret: SECRET, turnTtlS: 600, stunUrls: ['stun:c:3478'] });
  expect(() => loadConfig({ TURN_URLS: 'turn:a:3478' })).toThrow(/TURN_URLS, TURN_SECRET: set both/);
  expect(() => loadConfig({ TURN_SECRET: SECRET })).toThrow(/TURN_URLS, TURN_SECRET: set both/);
  expect(() => loadConfig({ TURN_URLS: 'http://a:3478', TURN_SECRET: SECRET })).toThrow(/TURN_URLS/);
  expect(() => loadConfig({ STUN_URLS: 'turn:a:3478' })).toThrow(/STUN_URLS/);
  expect(() => loadConfig({ TURN_URLS: 'turn:a', TURN_SECRET: 'short' })).toThrow(/TURN_SECRET/);
  expect(() => loadConfig({ TURN_TTL_S: '10' })).toThrow(/TURN_TTL_S/);
});
