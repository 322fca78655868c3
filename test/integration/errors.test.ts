/**
 * Every error code a client can cause, and malformed input for every event:
 * each gets a typed error, nothing changes, and the node keeps running.
 */
import type { ErrorBody, MatchedEvent } from '../../src/protocol';
import { connect, eventually, next, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';
import { startRedis } from '../../testkit/redis-server';

const cluster = useCluster(
  { MATCH_COOLDOWN_MS: '0', MESSAGE_RATE_LIMIT: '5', MATCH_RATE_LIMIT: '4', MAX_MESSAGE_LENGTH: '20' },
  2,
);

async function pair(): Promise<[Client, Client]> {
  const a = await connect(cluster.urls[0]!);
  const b = await connect(cluster.urls[1]!);
  const matched = next<MatchedEvent>(b, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  return [a, b];
}

const failure = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

test('NOT_IN_CHAT for chat actions outside a chat', async () => {
  const a = await connect(cluster.urls[0]!);
  for (const [event, payload] of [
    ['send-message', { text: 'hello' }],
    ['typing', { isTyping: true }],
    ['leave-room', {}],
    ['block', {}],
  ] as const) {
    expect(await request(a, event, payload)).toEqual(failure('NOT_IN_CHAT'));
  }
});

test('ALREADY_IN_CHAT for find-match and cancel-match while chatting', async () => {
  const [a] = await pair();
  expect(await request(a, 'find-match', {})).toEqual(failure('ALREADY_IN_CHAT'));
  expect(await request(a, 'cancel-match', {})).toEqual(failure('ALREADY_IN_CHAT'));
});

test('EMPTY_MESSAGE, MESSAGE_TOO_LONG, then RATE_LIMITED; errors carry no internals', async () => {
  const [a, b] = await pair();
  const received: unknown[] = [];
  b.on('message', (m) => received.push(m));
  expect(await request(a, 'send-message', { text: '  \n\t ' })).toEqual(failure('EMPTY_MESSAGE'));
  expect(await request(a, 'send-message', { text: 'x'.repeat(21) })).toEqual(failure('MESSAGE_TOO_LONG'));
  // Refused messages spend the budget of 5 too. Twenty emoji are twenty characters.
  expect(await request(a, 'send-message', { text: '😀'.repeat(20) })).toMatchObject({ ok: true });
  expect(await request(a, 'send-message', { text: 'two' })).toMatchObject({ ok: true });
  expect(await request(a, 'send-message', { text: 'three' })).toMatchObject({ ok: true });
  const limited = await request(a, 'send-message', { text: 'four' });
  expect(limited).toEqual(failure('RATE_LIMITED'));
  expect(JSON.stringify(limited)).not.toMatch(/at |Error|stack/);
  await eventually(() => expect(received).toHaveLength(3));
});

test('RATE_LIMITED for too many searches', async () => {
  const a = await connect(cluster.urls[0]!);
  const codes: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await request(a, i % 2 ? 'find-match' : 'next-match', { interests: [`i${i}`] });
    codes.push(r.ok ? 'ok' : r.error.code);
  }
  expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
});

test('without an ack, an error arrives as the `error` event', async () => {
  const a = await connect(cluster.urls[0]!);
  const error = next<ErrorBody>(a, 'error');
  a.emit('leave-room', {});
  expect(await error).toEqual({ code: 'NOT_IN_CHAT', message: expect.any(String) });
});

const MALFORMED: unknown[][] = [
  [],
  [null],
  ['text'],
  [42],
  [[]],
  [{ unexpected: true }],
  [JSON.parse('{"__proto__": {"polluted": true}}')],
  [{ constructor: { prototype: { polluted: true } } }],
  [{}, 'extra'],
];
const BAD_FIELDS: Record<string, unknown[]> = {
  'find-match': [
    { interests: 'chess' },
    { interests: [1, 2] },
    { interests: ['x'.repeat(31)] },
    { interests: ['   '] },
    { interests: Array.from({ length: 11 }, (_, i) => `i${i}`) },
    { interests: [['nested']] },
  ],
  'next-match': [{ interests: {} }, { interests: [null] }],
  'send-message': [{ text: 5 }, { text: ['a'] }, { text: 'ok', replyTo: '../../etc' }, { text: { toString: 'x' } }, {}],
  typing: [{ isTyping: 'yes' }, { isTyping: 1 }, {}],
  'cancel-match': [{ now: 1 }],
  'leave-room': [{ roomId: 'someone-else' }],
  block: [{ userId: 'x' }],
};

test.each(Object.keys(BAD_FIELDS))('malformed %s payloads get INVALID_PAYLOAD, acked or not, and change nothing', async (event) => {
  const a = await connect(cluster.urls[0]!);
  await request(a, 'find-match', { interests: ['keep'] });
  const errors: ErrorBody[] = [];
  a.on('error', (e) => errors.push(e));
  for (const args of [...MALFORMED, ...BAD_FIELDS[event]!.map((p) => [p])]) {
    const r = await request(a, event, ...(args as unknown[]));
    expect(r).toEqual(failure('INVALID_PAYLOAD'));
  }
  a.emit(event as 'block', 'not an object' as never);
  (a.emit as (e: string) => void)(event);
  await eventually(() => expect(errors).toHaveLength(2));
  expect(errors.every((e) => e.code === 'INVALID_PAYLOAD')).toBe(true);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const user = await cluster.nodes[0]!.server.store.getUser(a.session.userId);
  expect(user).toMatchObject({ state: 'waiting', interests: ['keep'] });
  expect((await fetch(`${cluster.urls[0]}/health`)).status).toBe(200);
});

test('huge payloads are refused by Socket.IO before parsing; the node stays up', async () => {
  const a = await connect(cluster.urls[0]!);
  const closed = next<string>(a, 'disconnect');
  a.emit('send-message', { text: 'x'.repeat(2_000_000) });
  expect(await closed).toBe('transport close');
  expect((await fetch(`${cluster.urls[0]}/health`)).status).toBe(200);
});

test('a client that keeps sending garbage is disconnected', async () => {
  const a = await connect(cluster.urls[1]!);
  const closed = next<string>(a, 'disconnect');
  for (let i = 0; i < 30; i++) a.emit('no-such-event' as 'block', {} as never);
  expect(await closed).toBe('io server disconnect');
});

test('UNAVAILABLE when Redis is gone (an answer within the ack bound, not a hang); /health answers 503', async () => {
  const a = await connect(cluster.urls[0]!);
  await cluster.redis.stop();
  expect(await request(a, 'find-match', {})).toEqual(failure('UNAVAILABLE'));
  const health = await fetch(`${cluster.urls[0]}/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ status: 'unavailable', store: 'redis' });

  // Back on the same port (empty): the node recovers by itself.
  cluster.redis = await startRedis({ port: cluster.redis.port });
  await eventually(async () => expect((await fetch(`${cluster.urls[0]}/health`)).status).toBe(200), 10_000);
  await eventually(async () => expect(await request(a, 'find-match', {})).toEqual({ ok: true, state: 'waiting' }), 10_000);
});
