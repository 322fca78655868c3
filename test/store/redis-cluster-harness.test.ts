import { Cluster } from 'ioredis';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { startRedisCluster, type RedisClusterServer } from '../../testkit/redis-cluster';

let cluster: RedisClusterServer;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const refuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

test('the test cluster has three masters with a replica each, and spreads keys over them', async () => {
  expect(cluster.nodes).toHaveLength(6);
  expect(await cluster.masters()).toHaveLength(3);
  const client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  try {
    for (let i = 0; i < 50; i++) await client.set(`k${i}`, String(i));
    expect(await client.get('k42')).toBe('42');
    const sizes = await Promise.all(client.nodes('master').map((node) => node.dbsize()));
    expect(sizes.filter((n) => n > 0)).toHaveLength(3);
  } finally {
    client.disconnect();
  }
});

test('stop removes every server and the temp dir, and is safe to call twice', async () => {
  const other = await startRedisCluster();
  await Promise.all([other.stop(), other.stop()]);
  expect(existsSync(other.dir)).toBe(false);
  expect(await Promise.all(other.ports.map(refuses))).toEqual(other.ports.map(() => true));
}, 60_000);
