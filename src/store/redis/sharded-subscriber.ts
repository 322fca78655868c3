/**
 * Keeps a Redis Cluster subscriber's sharded subscriptions through a
 * failover. The Socket.IO sharded adapter calls SSUBSCRIBE and SUNSUBSCRIBE
 * without handling a failure: while a shard's master is gone they reject
 * (an unhandled rejection) and the channel stays unsubscribed, so that node
 * would miss the room's emits. Here a failed SSUBSCRIBE is retried, with a
 * growing pause, until it succeeds or the channel is given up; a failed
 * SUNSUBSCRIBE is only logged (ioredis forgets the channel anyway). An
 * SSUBSCRIBE of a channel being retried (the room feed subscribes again after
 * ioredis replaced a shard's subscriber) takes over the retrying, and the
 * earlier one settles with it: only a given-up channel settles unsubscribed.
 */
import type { Cluster } from 'ioredis';
import type { Logger } from 'pino';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;

type Subscribe = (...channels: (string | Buffer)[]) => Promise<unknown>;

export function keepShardedSubscriptions(client: Cluster, logger: Logger): void {
  const ssubscribe = client.ssubscribe.bind(client) as Subscribe;
  const sunsubscribe = client.sunsubscribe.bind(client) as Subscribe;
  /** Channels wanted, each with its latest SSUBSCRIBE: its generation and what it settles with. */
  const wanted = new Map<string, { mine: number; done: Promise<unknown> }>();
  let generation = 0;

  /** A superseded attempt settles with the latest one, or at once if the channel was given up. */
  const latest = (channel: string): Promise<unknown> | 0 => wanted.get(channel)?.done ?? 0;
  const subscribe = (channel: string, mine: number, delayMs: number): Promise<unknown> =>
    ssubscribe(channel).catch((err: unknown) => {
      if (client.status === 'end') return 0;
      if (wanted.get(channel)?.mine !== mine) return latest(channel);
      logger.warn({ err: err instanceof Error ? err.message : err, channel, retryInMs: delayMs }, 'sharded subscribe failed; retrying');
      return new Promise((resolve) => setTimeout(resolve, delayMs).unref()).then(() =>
        wanted.get(channel)?.mine === mine ? subscribe(channel, mine, Math.min(delayMs * 2, MAX_RETRY_MS)) : latest(channel),
      );
    });

  Object.assign(client, {
    ssubscribe: (...channels: (string | Buffer)[]) =>
      Promise.all(
        channels.map((raw) => {
          const channel = raw.toString();
          const attempt = { mine: ++generation, done: Promise.resolve<unknown>(0) };
          wanted.set(channel, attempt);
          attempt.done = subscribe(channel, attempt.mine, FIRST_RETRY_MS);
          return attempt.done;
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
