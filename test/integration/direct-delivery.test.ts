/**
 * A node hands `matched`, `message` and `partner-typing` straight to a user
 * connected to it (the store names each user's live connection), without a
 * publish through the Redis adapter, which every node would receive and
 * decode; a user on another node gets them through its channel, as always.
 * Checked by watching what the adapter publishes on Redis.
 */
import Redis from 'ioredis';
import type { MatchedEvent } from '../../src/protocol';
import { connect, eventually, next, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const cluster = useCluster({}, 2);
const EVENTS = ['matched', 'message', 'partner-typing'] as const;

/**
 * How an emitted event starts in the adapter's msgpack encoding of its packet:
 * `data` is a two-element array (0x92) whose first element is the event's
 * name, a short string (0xa0 | length).
 */
function eventBytes(event: string): Buffer {
  return Buffer.concat([Buffer.from([0x92, 0xa0 | event.length]), Buffer.from(event)]);
}

interface PublishWatch {
  /** How many publishes seen so far carried `event`. */
  published(event: string): number;
  /**
   * Publishes a marker of its own and waits until it comes back: Redis hands
   * one subscriber its messages in the order it took the publishes, so every
   * publish a node made before this call has been seen when it resolves.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The adapter's publishes (every channel), as raw buffers. */
async function watchPublishes(url: string): Promise<PublishWatch> {
  const sub = new Redis(url, { lazyConnect: true });
  const pub = new Redis(url, { lazyConnect: true });
  await Promise.all([sub.connect(), pub.connect()]);
  const seen: Buffer[] = [];
  sub.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => seen.push(message));
  await sub.psubscribe('*');
  let markers = 0;
  return {
    published: (event) => seen.filter((m) => m.includes(eventBytes(event))).length,
    settle: async () => {
      const marker = Buffer.from(`direct-delivery-marker-${++markers}`);
      await pub.publish('direct-delivery-test', marker);
      await eventually(() => seen.some((m) => m.equals(marker)), { what: 'the marker publish', timeoutMs: 20_000 });
    },
    close: async () => {
      sub.disconnect();
      pub.disconnect();
    },
  };
}

async function chat(a: Client, b: Client, interest: string): Promise<void> {
  const both = Promise.all([next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')]);
  await request(a, 'find-match', { interests: [interest] });
  await request(b, 'find-match', { interests: [interest] });
  const [{ roomId }] = await both;
  const typing = next<{ isTyping: boolean }>(b, 'partner-typing');
  expect(await request(a, 'typing', { isTyping: true })).toEqual({ ok: true });
  expect(await typing).toEqual({ isTyping: true });
  const message = next<{ text: string }>(b, 'message');
  const cleared = next<{ isTyping: boolean }>(b, 'partner-typing');
  expect(await request(a, 'send-message', { text: 'hello', roomId })).toMatchObject({ ok: true });
  expect(await message).toMatchObject({ text: 'hello' });
  expect(await cleared).toEqual({ isTyping: false });
}

test('two users of one node: matched, message and typing go socket to socket, with no adapter publish', async () => {
  const watch = await watchPublishes(cluster.redis.url);
  try {
    const [a, b] = await Promise.all([connect(cluster.urls[0]!), connect(cluster.urls[0]!)]);
    await chat(a, b, 'same-node');
    await watch.settle();
    for (const event of EVENTS) expect([event, watch.published(event)]).toEqual([event, 0]);
  } finally {
    await watch.close();
  }
});

test('users of two nodes: the same events go through the adapter', async () => {
  const watch = await watchPublishes(cluster.redis.url);
  try {
    const [a, b] = await Promise.all([connect(cluster.urls[0]!), connect(cluster.urls[1]!)]);
    await chat(a, b, 'two-nodes');
    // b received each crossing event through its node's subscription, which may
    // come before this test's copy of the same publish.
    await watch.settle();
    // b's matched, a's message and both typing changes crossed; a's own matched may go either way.
    expect(watch.published('message')).toBeGreaterThanOrEqual(1);
    expect(watch.published('partner-typing')).toBeGreaterThanOrEqual(2);
    expect(watch.published('matched')).toBeGreaterThanOrEqual(1);
  } finally {
    await watch.close();
  }
});
