/** Per-IP connection cap and handshake rate, counted across the cluster. */
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { connect, disconnectAll, eventually } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const cluster = useCluster(
  { MAX_CONNECTIONS_PER_IP: '3', HANDSHAKE_RATE_LIMIT: '6', HANDSHAKE_RATE_WINDOW_MS: '60000' },
  2,
);

function refusal(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('connection was admitted'));
    });
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      socket.disconnect();
      resolve(err.data);
    });
  });
}

test('an IP holds at most MAX_CONNECTIONS_PER_IP connections across nodes, and at most HANDSHAKE_RATE_LIMIT attempts per window', async () => {
  const first = await connect(cluster.urls[0]!);
  await connect(cluster.urls[0]!);
  await connect(cluster.urls[1]!);
  expect(await refusal(cluster.urls[1]!)).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/connections/) });
  first.disconnect();
  // The freed place can be taken again (counts are released on disconnect).
  await eventually(async () => {
    const again = await connect(cluster.urls[1]!).catch(() => null);
    expect(again).not.toBeNull();
  });
  disconnectAll();
  // At least five of the six attempts in the window are spent; within two more
  // the handshake rate refuses, though the IP now holds no connection at all.
  const outcomes: unknown[] = [];
  for (let i = 0; i < 2; i++) outcomes.push(await refusal(cluster.urls[0]!).catch(() => 'admitted'));
  expect(outcomes.at(-1)).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/attempts/) });
});

test('Redis holds no raw client address: the handshake limiter and the connection count are keyed by its keyed hash', async () => {
  const address = '127.0.0.77';
  await connect(cluster.urls[0]!, { address });
  const redis = new Redis(cluster.redis.url);
  try {
    const found: string[] = [];
    for (const key of await redis.keys('*')) {
      if (key.includes(address)) found.push(key);
      const type = await redis.type(key);
      if (type === 'hash' && Object.keys(await redis.hgetall(key)).some((field) => field.includes(address))) found.push(`${key} (field)`);
      if (type === 'string' && ((await redis.get(key)) ?? '').includes(address)) found.push(`${key} (value)`);
    }
    expect(found).toEqual([]);
    // The limiter did count this address, under its hash.
    expect((await redis.keys('*handshake*')).length).toBeGreaterThan(0);
  } finally {
    redis.disconnect();
  }
});
