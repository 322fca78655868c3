/**
 * Thousands of hostile payloads for every client event against a real node:
 * every acked emit is answered with INVALID_PAYLOAD or a typed answer, no ack
 * hangs, the node neither crashes nor leaks, and real users can still chat.
 */
import type { MatchedEvent, MessageEvent } from '../../src/protocol';
import { connect, eventually, next, request, type Client } from '../helpers/clients';
import { startNode, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startRedis, type RedisServer } from '../../testkit/redis-server';
import { CLIENT_EVENTS, PayloadGenerator, RESERVED_EVENTS, type FuzzEmit } from './generator';
import { garbageCollector, newTally, sendBatch } from './harness';
import { PACKET_LIMIT_BYTES } from '../../src/node/socket-server';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const PER_EVENT = Number(process.env.FUZZ_PER_EVENT ?? 3000);
/** The node's packet limit with the default MAX_MESSAGE_LENGTH: max(16 KiB, 8 × 1000). */
const PACKET_LIMIT = PACKET_LIMIT_BYTES;
const BATCH = 20;
const WORKERS = 12;

let redis: RedisServer;
let node: RunningNode;
const crashes: unknown[] = [];
const onCrash = (err: unknown): void => void crashes.push(err);

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  redis = await startRedis();
  node = await startNode({
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: 'a-fuzz-secret-of-enough-length',
    MATCH_COOLDOWN_MS: '0',
    RESUME_GRACE_MS: '0',
    RANDOM_FALLBACK_MS: '200',
  });
});

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await node.close();
  await redis.stop();
});

/** The deterministic emit list: PER_EVENT for each event and for unknown names, interleaved. */
function plan(generator: PayloadGenerator): FuzzEmit[] {
  const emits: FuzzEmit[] = [];
  for (let i = 0; i < PER_EVENT; i++) {
    for (const event of [...CLIENT_EVENTS, null]) emits.push(generator.emit(event));
  }
  return emits;
}

async function run(emits: FuzzEmit[], tally: ReturnType<typeof newTally>): Promise<void> {
  let cursor = 0;
  const worker = async (): Promise<void> => {
    while (cursor < emits.length) {
      const batch = emits.slice(cursor, cursor + BATCH);
      cursor += BATCH;
      const socket = await connect(node.url);
      await sendBatch(socket, batch, tally);
      socket.disconnect();
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
}

/** Problems grouped by kind, three examples each. */
function summarise(problems: string[]): string[] {
  const kinds = new Map<string, string[]>();
  for (const p of problems) {
    const kind = p.split(' ← ')[0]!.replace(/\d+/g, 'N');
    kinds.set(kind, [...(kinds.get(kind) ?? []), p]);
  }
  return [...kinds.entries()].flatMap(([kind, list]) => [
    `PROBLEM ×${list.length}: ${kind}`,
    ...list.slice(0, 3).map((p) => `    e.g. ${p.slice(0, 300)}`),
  ]);
}

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;

test(`${PER_EVENT} generated payloads per client event and for unknown events: typed answers, no hang, no leak`, async () => {
  const gc = garbageCollector();
  const generator = new PayloadGenerator(SEED, PACKET_LIMIT - 400);
  const emits = plan(generator);

  // Warm up (lazy modules, JIT, pools) before the baseline.
  const warm = newTally();
  await run(emits.slice(0, 400), warm);
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const before = process.memoryUsage();

  const tally = newTally();
  const started = Date.now();
  await run(emits.slice(400), tally);
  const elapsed = Date.now() - started;

  // Every connection of the run is gone from the node.
  for (let i = 0; i < 100 && node.server.io.engine.clientsCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
  await new Promise((resolve) => setTimeout(resolve, 300));
  gc();
  gc();
  const after = process.memoryUsage();

  const answers = [...tally.answers.entries()].sort(([a], [b]) => a.localeCompare(b));
  console.log(
    [
      `fuzz seed ${SEED}: ${tally.sent} emits in ${elapsed} ms (${tally.acked} acked, ${tally.unacked} without ack, ` +
        `${tally.validSent} valid, ${tally.refusedByClient} refused by the client library)`,
      `heapUsed ${mb(before.heapUsed)} → ${mb(after.heapUsed)} (Δ ${mb(after.heapUsed - before.heapUsed)}), ` +
        `rss ${mb(before.rss)} → ${mb(after.rss)}; connections left on the node: ${node.server.io.engine.clientsCount}`,
      `answers: ${answers.map(([k, n]) => `${k}=${n}`).join(' ')}`,
      ...summarise(tally.problems),
    ].join('\n'),
  );

  expect(warm.problems).toEqual([]);
  expect(tally.problems).toEqual([]);
  expect(tally.sent).toBeGreaterThan(PER_EVENT * 8 * 0.9);
  expect(crashes).toEqual([]);
  expect(node.server.io.engine.clientsCount).toBe(0);
  // Generous: the jest worker, socket.io-client and the node share this heap.
  expect(after.heapUsed - before.heapUsed).toBeLessThan(48 * 1048576);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('isTyping');
  // About 70 s alone on two cores (the events grew with rooms, contacts and
  // safety); room for a machine busy with the other suites.
}, 300_000);

/** Raw packets the client library would never produce. */
const RAW_PACKETS: string[] = [
  ...RESERVED_EVENTS.map((name) => `2["${name}",{}]`),
  ...RESERVED_EVENTS.map((name) => `27["${name}"]`),
  '2[]',
  '2[{}]',
  '2[null,{}]',
  '2[123,{}]',
  '212[123,{}]',
  '2{"not":"an array"}',
  '2["find-match",{"interests":["a"]',
  '2"find-match"',
  '2["find-match",{"interests":{"_placeholder":true,"num":0}}]',
  '51-["find-match",{"_placeholder":true,"num":0}]',
  '51-["find-match",{"_placeholder":true,"num":7}]',
  '3[]',
  '399["unexpected ack"]',
  '0{}',
  '1',
  '4"boom"',
  '9',
  '2/other,["find-match",{}]',
  '2/other,5["find-match",{}]',
  '2-1["find-match",{}]',
  '2999999999999999999999["find-match",{}]',
  '2["__proto__",{"__proto__":{"polluted":true}}]',
  '2["constructor",{}]',
  `2["send-message",${'['.repeat(5000)}${']'.repeat(5000)}]`,
  '',
];

test('raw malformed packets: the node answers or closes that connection, and stays up', async () => {
  const outcomes: string[] = [];
  const silent: string[] = [];
  for (const packet of RAW_PACKETS) {
    const socket = await connect(node.url);
    let closed: string | undefined;
    socket.on('disconnect', (reason) => (closed = reason));
    (socket.io.engine as unknown as { write(data: string): void }).write(packet);
    if (packet.startsWith('51-')) (socket.io.engine as unknown as { write(data: Buffer): void }).write(Buffer.from([1, 2, 3]));
    // Either the connection is closed, or it still answers a valid request (the bound leaves room for a busy machine).
    const alive = (await socket.timeout(10_000).emitWithAck('cancel-match', {}).catch(() => null)) as { ok?: boolean } | null;
    // A client DISCONNECT packet ("1") leaves the namespace without closing the transport.
    const left = !node.server.io.of('/').sockets.has(socket.id!) ? 'left the namespace' : undefined;
    const outcome = closed ?? (alive?.ok ? 'answered' : (left ?? `silent (${JSON.stringify(alive)})`));
    outcomes.push(`${JSON.stringify(packet.slice(0, 50))} → ${outcome}`);
    if (outcome.startsWith('silent')) silent.push(packet.slice(0, 50));
    socket.disconnect();
  }
  console.log(outcomes.join('\n'));
  expect(silent).toEqual([]);
  expect((await fetch(`${node.url}/health`)).status).toBe(200);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(crashes).toEqual([]);
}, 60_000);

test('packets over the size or attachment limit close only that connection', async () => {
  for (const size of [PACKET_LIMIT + 1, PACKET_LIMIT * 2, PACKET_LIMIT * 64]) {
    const socket = await connect(node.url);
    const closed = next<string>(socket, 'disconnect');
    socket.emit('send-message', { text: 'x'.repeat(size) });
    expect(await closed).toBe('transport close');
    const binary = await connect(node.url);
    const binaryClosed = next<string>(binary, 'disconnect');
    (binary.emit as (event: string, ...args: unknown[]) => void)('send-message', { text: Buffer.alloc(size) });
    expect(await binaryClosed).toBe('transport close');
  }
  // More binary attachments than the parser allows.
  const many = await connect(node.url);
  const manyClosed = next<string>(many, 'disconnect');
  (many.emit as (event: string, ...args: unknown[]) => void)('find-match', { interests: Array.from({ length: 11 }, () => Buffer.alloc(1)) });
  expect(await manyClosed).toBe('transport close');
  expect((await fetch(`${node.url}/health`)).status).toBe(200);
});

test('an interest that is not well-formed UTF-16 gets a typed answer and leaves the search intact', async () => {
  const a = await connect(node.url);
  expect(await request(a, 'find-match', { interests: ['lone-surrogate-check'] })).toEqual({ ok: true, state: 'waiting' });
  const answer = await request(a, 'find-match', { interests: ['\ud800'] });
  expect(answer.ok || answer.error.code === 'INVALID_PAYLOAD').toBe(true);
  // Whatever the answer, the user is still a findable waiter.
  await request(a, 'find-match', { interests: ['lone-surrogate-check'] });
  const b = await connect(node.url);
  const matched = next<MatchedEvent>(a, 'matched');
  await request(b, 'find-match', { interests: ['lone-surrogate-check'] });
  await matched;
  a.disconnect();
  b.disconnect();
});

test('an own `__proto__` key never reaches a handler or a prototype', async () => {
  const a = await connect(node.url);
  const emit = a.timeout(3000).emitWithAck as (event: string, ...args: unknown[]) => Promise<unknown>;
  for (const event of ['cancel-match', 'leave-room', 'block']) {
    // Without binary the key is sent as JSON and refused by the node.
    const plain = JSON.parse('{"__proto__": {"smuggled": 1}}') as Record<string, unknown>;
    expect(await emit.call(a, event, plain)).toEqual({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.any(String) } });
    // With binary the client's own packet copy drops the key: the node sees `{}`.
    const withBinary = JSON.parse('{}') as Record<string, unknown>;
    Object.defineProperty(withBinary, '__proto__', { value: { smuggled: Buffer.from([1]) }, enumerable: true });
    const answer = (await emit.call(a, event, withBinary)) as { ok: boolean; error?: { code: string } };
    expect(answer.ok || answer.error?.code === 'NOT_IN_CHAT').toBe(true);
  }
  await eventually(() => expect(({} as Record<string, unknown>).smuggled).toBeUndefined());
  a.disconnect();
});

test('after the fuzzing, /health is 200 and a normal pair forms and chats', async () => {
  expect((await fetch(`${node.url}/health`)).status).toBe(200);
  // Leftover fuzz users may still wait; pair two fresh users on an interest of their own.
  const a: Client = await connect(node.url);
  const b: Client = await connect(node.url);
  const matchedA = next<MatchedEvent>(a, 'matched');
  const matchedB = next<MatchedEvent>(b, 'matched');
  expect(await request(a, 'find-match', { interests: ['after-the-fuzz'] })).toMatchObject({ ok: true });
  expect(await request(b, 'find-match', { interests: ['after-the-fuzz'] })).toMatchObject({ ok: true });
  const [ma, mb] = await Promise.all([matchedA, matchedB]);
  expect(ma.roomId).toBe(mb.roomId);
  const received = next<MessageEvent>(b, 'message');
  expect(await request(a, 'send-message', { text: 'still here' })).toMatchObject({ ok: true });
  expect(await received).toMatchObject({ roomId: ma.roomId, text: 'still here' });
  a.disconnect();
  b.disconnect();
  expect(crashes).toEqual([]);
});
