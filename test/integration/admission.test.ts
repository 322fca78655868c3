/** Per-IP connection cap and handshake rate, counted across the cluster. */
import { io } from 'socket.io-client';
import { connect, disconnectAll, eventually } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../helpers/nodes';
import { startRedis, type RedisServer } from '../helpers/redis-server';

let redis: RedisServer;
let nodes: RunningNode[];

beforeAll(async () => {
  redis = await startRedis();
  nodes = await startCluster(2, {
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: TEST_SECRET,
    MAX_CONNECTIONS_PER_IP: '3',
    HANDSHAKE_RATE_LIMIT: '6',
    HANDSHAKE_RATE_WINDOW_MS: '60000',
  });
});
afterAll(async () => {
  disconnectAll();
  await stopAll(nodes);
  await redis.stop();
});

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
  const first = await connect(nodes[0]!.url);
  await connect(nodes[0]!.url);
  await connect(nodes[1]!.url);
  expect(await refusal(nodes[1]!.url)).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/connections/) });
  first.disconnect();
  // The freed place can be taken again (counts are released on disconnect).
  await eventually(async () => {
    const again = await connect(nodes[1]!.url).catch(() => null);
    expect(again).not.toBeNull();
  });
  disconnectAll();
  // At least five of the six attempts in the window are spent; within two more
  // the handshake rate refuses, though the IP now holds no connection at all.
  const outcomes: unknown[] = [];
  for (let i = 0; i < 2; i++) outcomes.push(await refusal(nodes[0]!.url).catch(() => 'admitted'));
  expect(outcomes.at(-1)).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/attempts/) });
});
