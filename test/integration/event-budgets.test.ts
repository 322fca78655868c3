/**
 * Every client event has a budget, and it bites: per socket, and per
 * identity (a reconnect, even to another node, starts no fresh budget). The
 * list of events is the schema table itself, so an event added later is
 * covered too; on one memory node and on two nodes sharing Redis.
 */
import { BUDGETS, EVENT_BUDGETS } from '../../src/realtime/event-budgets';
import { schemas, type EventName } from '../../src/realtime/schemas';
import { connect, disconnectAll, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

/** Every budget at 2 per window. */
const TWO = Object.fromEntries(
  [
    'MATCH_RATE_LIMIT',
    'MESSAGE_RATE_LIMIT',
    'TYPING_RATE_LIMIT',
    'CALL_SIGNAL_RATE_LIMIT',
    'ROOM_JOIN_RATE_LIMIT',
    'ROOM_MESSAGE_RATE_LIMIT',
    'ROOM_CREATE_RATE_LIMIT',
    'DM_RATE_LIMIT',
    'EVENT_RATE_LIMIT',
    'HEAVY_EVENT_RATE_LIMIT',
  ].map((name) => [name, '2']),
);

/** A payload each event accepts (the handler may still refuse it: the budget is spent first). */
const VALID: { readonly [E in EventName]: object } = {
  'find-match': {},
  'cancel-match': {},
  'next-match': {},
  'send-message': { text: 'hi' },
  typing: { isTyping: true },
  'leave-room': {},
  block: {},
  'call-signal': { kind: 'restart' },
  'call-state': { camera: true, microphone: false },
  'call-credentials': {},
  'room-create': { title: 'Budgets', visibility: 'private' },
  'room-join': { code: 'lobby' },
  'room-leave': { code: 'lobby' },
  'room-typing': { code: 'lobby', isTyping: true },
  'room-message': { code: 'lobby', text: 'hi' },
  'room-delete-message': { code: 'lobby', seq: 1 },
  'room-kick': { code: 'lobby', name: 'Nobody' },
  'room-role': { code: 'lobby', name: 'Nobody', role: 'cohost' },
  'room-mute': { code: 'lobby', name: 'Nobody', durationMs: 60_000 },
  'room-settings': { code: 'lobby', slowModeS: 5 },
  'room-pin': { code: 'lobby', seq: 1 },
  'room-unpin': { code: 'lobby', seq: 1 },
  'room-react': { code: 'lobby', seq: 1, emoji: '👍', on: true },
  'room-edit': { code: 'lobby', seq: 1, text: 'hi' },
  'room-read': { code: 'lobby', seq: 1 },
  'room-backstage': { code: 'lobby' },
  'keep-in-touch': {},
  'contacts-list': {},
  'contact-rename': { contactId: 'nobody', nickname: 'x' },
  'contact-remove': { contactId: 'nobody' },
  'contact-block': { contactId: 'nobody' },
  'dm-send': { contactId: 'nobody', text: 'hi' },
  'dm-history': { contactId: 'nobody' },
  'dm-read': { contactId: 'nobody', upTo: 'nothing' },
  'dm-typing': { contactId: 'nobody', isTyping: true },
  settings: { appearOffline: false },
  'delete-identity': {},
  report: { target: { kind: 'chat' }, reason: 'spam' },
  'accept-rules': { version: 'abcd', ageConfirmed: true },
  sync: { stream: { kind: 'chat' }, afterSeq: 0 },
};

const EVENTS = Object.keys(schemas) as EventName[];

const code = (ack: { ok: boolean; error?: { code: string } }): string => (ack.ok ? 'ok' : ack.error!.code);

test('the budget table names a budget for every event of the protocol', () => {
  expect(Object.keys(EVENT_BUDGETS).sort()).toEqual([...EVENTS].sort());
  for (const event of EVENTS) expect(BUDGETS[EVENT_BUDGETS[event]]).toBeDefined();
});

describe.each(['memory', 'redis'] as const)('on %s', (backend) => {
  let redis: RedisServer | undefined;
  let nodes: RunningNode[];

  beforeAll(async () => {
    const shared = { ROOMS: 'lobby', MATCH_COOLDOWN_MS: '0', RESUME_GRACE_MS: '0', ...TWO };
    if (backend === 'memory') {
      nodes = await startCluster(1, shared);
    } else {
      redis = await startRedis();
      nodes = await startCluster(2, { ...shared, REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix(), SESSION_SECRET: TEST_SECRET });
    }
  });
  afterEach(() => disconnectAll());
  afterAll(async () => {
    disconnectAll();
    await stopAll(nodes);
    await redis?.stop();
  });

  test('every budget is sized by its settings', () => {
    for (const rule of Object.values(BUDGETS)) expect(rule.size(nodes[0]!.server.config).points).toBe(2);
  });

  test.each(EVENTS)('"%s" is refused with RATE_LIMITED past its budget, on the socket and for the identity', async (event) => {
    const client = await connect(nodes[0]!.url);
    const acks = await Promise.all([0, 1, 2].map(() => request(client, event, VALID[event])));
    expect(acks.map(code).filter((c) => c === 'RATE_LIMITED')).toHaveLength(1);
    expect(acks[2]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringMatching(/try again in \d+ s/) } });
    // The identity's budget is shared by the nodes; a deleted identity has none left to test,
    // and `send-message` spends its identity's budget per chat, in the store.
    if (event === 'delete-identity' || event === 'send-message') return;
    const again: Client = await connect(nodes.at(-1)!.url, { token: client.session.token });
    expect(code(await request(again, event, VALID[event]))).toBe('RATE_LIMITED');
  });
});
