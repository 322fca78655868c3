/**
 * Keeps a Redis Cluster subscriber's sharded subscriptions through a
 * failover. The Socket.IO sharded adapter calls SSUBSCRIBE and SUNSUBSCRIBE
 * without handling a failure: while a shard's master is gone they reject
 * (an unhandled rejection) and the channel stays unsubscribed, so that node
 * would miss the room's emits. Here a failed SSUBSCRIBE is retried, with a
 * growing pause, until it succeeds or the channel is given up; a failed
 * SUNSUBSCRIBE is only logged (ioredis forgets the channel anyway).
 */
import type { Cluster } from 'ioredis';
import type { Logger } from 'pino';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;

type Subscribe = (...channels: (string | Buffer)[]) => Promise<unknown>;

export function keepShardedSubscriptions(client: Cluster, logger: Logger): void {
  const ssubscribe = client.ssubscribe.bind(client) as Subscribe;
  const sunsubscribe = client.sunsubscribe.bind(client) as Subscribe;
  /** Channels wanted, each with the generation of its latest SSUBSCRIBE. */
  const wanted = new Map<string, number>();
  let generation = 0;

  const subscribe = (channel: string, mine: number, delayMs: number): Promise<unknown> =>
    ssubscribe(channel).catch((err: unknown) => {
      if (wanted.get(channel) !== mine || client.status === 'end') return 0;
      logger.warn({ err: err instanceof Error ? err.message : err, channel, retryInMs: delayMs }, 'sharded subscribe failed; retrying');
      return new Promise((resolve) => setTimeout(resolve, delayMs).unref()).then(() =>
        wanted.get(channel) === mine ? subscribe(channel, mine, Math.min(delayMs * 2, MAX_RETRY_MS)) : 0,
      );
    });

  Object.assign(client, {
    ssubscribe: (...channels: (string | Buffer)[]) =>
      Promise.all(
        channels.map((raw) => {
          const channel = raw.toString();
          const mine = ++generation;
          wanted.set(channel, mine);
          return subscribe(channel, mine, FIRST_RETRY_MS);
        }),
      ).then(() => channels.length),
    sunsubscribe: (...channels: (string | Buffer)[]) => {
      for (const channel of channels) wanted.delete(channel.toString());
      return sunsubscribe(...channels).catch((err: unknown) => {
        logger.debug({ err: err instanceof Error ? err.message : err }, 'sharded unsubscribe failed');
        return 0;
      });
    },
  });
}
