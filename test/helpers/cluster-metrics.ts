/**
 * What the Redis Cluster tests and benchmarks read to see where traffic goes:
 * commands each Redis server ran (INFO commandstats, calls made inside Lua
 * scripts included) and the pub/sub messages each parley node's Socket.IO
 * adapter received (its /metrics counter).
 */
import { Redis } from 'ioredis';

/** Calls of every command a Redis server ran so far, the INFO calls that read it left out. */
export async function commandCalls(port: number): Promise<number> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const info = await client.info('commandstats');
    return [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)]
      .filter(([, name]) => name !== 'info')
      .reduce((sum, [, , n]) => sum + Number(n), 0);
  } finally {
    client.disconnect();
  }
}

/** Commands each server on `ports` runs while `run` does, in the order of `ports`. */
export async function commandsDuring(ports: readonly number[], run: () => Promise<void>): Promise<number[]> {
  const before = await Promise.all(ports.map(commandCalls));
  await run();
  const after = await Promise.all(ports.map(commandCalls));
  return after.map((n, i) => n - before[i]!);
}

/** Each count's distance from the mean of all, as a signed fraction (0.1 = 10 % above). */
export function deviations(counts: readonly number[]): number[] {
  const mean = counts.reduce((x, y) => x + y, 0) / counts.length;
  return counts.map((n) => (mean ? (n - mean) / mean : 0));
}

/** `parley_adapter_messages_received_total` of the node at `url`: pub/sub messages its adapter received. */
export async function adapterMessagesReceived(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^parley_adapter_messages_received_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
}
