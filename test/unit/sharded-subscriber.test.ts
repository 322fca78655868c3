import type { Cluster } from 'ioredis';
import pino from 'pino';
import { keepShardedSubscriptions } from '../../src/store/redis/sharded-subscriber';

/** A Cluster whose SSUBSCRIBE fails `failures` times per channel, as while a shard has no master. */
function fakeCluster(failures: number) {
  const calls: string[] = [];
  const left = new Map<string, number>();
  const client = {
    status: 'ready',
    ssubscribe: (channel: string) => {
      calls.push(channel);
      const n = left.get(channel) ?? failures;
      left.set(channel, n - 1);
      return n > 0 ? Promise.reject(new Error('CLUSTERDOWN')) : Promise.resolve(1);
    },
    sunsubscribe: () => Promise.reject(new Error('Connection is closed.')),
  };
  keepShardedSubscriptions(client as unknown as Cluster, pino({ level: 'silent' }));
  return { client: client as unknown as Cluster, calls };
}

test('a failed sharded subscribe is retried until it succeeds, and never rejects', async () => {
  const { client, calls } = fakeCluster(3);
  await expect(client.ssubscribe('room-a')).resolves.toBe(1);
  expect(calls).toEqual(['room-a', 'room-a', 'room-a', 'room-a']);
});

test('a channel given up while its subscribe is retried is not subscribed again', async () => {
  const { client, calls } = fakeCluster(100);
  const pending = client.ssubscribe('room-b');
  await new Promise((resolve) => setTimeout(resolve, 150));
  await expect(client.sunsubscribe('room-b')).resolves.toBe(0);
  await pending;
  const count = calls.length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(calls.length).toBe(count);
});

test('a channel subscribed again while its first subscribe is retried: the first settles only once the channel is subscribed', async () => {
  const { client } = fakeCluster(4);
  const settled: string[] = [];
  const first = client.ssubscribe('room-c').then(() => settled.push('first'));
  await new Promise((resolve) => setTimeout(resolve, 150));
  const again = client.ssubscribe('room-c').then((n) => settled.push(`again:${n}`));
  await Promise.all([first, again]);
  expect(settled).toEqual(['again:1', 'first']);
});
