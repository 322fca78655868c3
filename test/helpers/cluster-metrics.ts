/**
 * What the Redis Cluster tests and benchmarks read to see where traffic goes:
 * commands each Redis server ran (INFO commandstats, calls made inside Lua
 * scripts included) and the pub/sub messages each parley node's Socket.IO
 * adapter received (its /metrics counter).
 */
import { Redis } from 'ioredis';

/** Calls of each command a Redis server ran so far, by command name, the INFO calls that read them left out. */
export async function commandCallsByName(port: number): Promise<Record<string, number>> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const info = await client.info('commandstats');
    const out: Record<string, number> = {};
    for (const [, name, n] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (name !== 'info') out[name!] = Number(n);
    return out;
  } finally {
    client.disconnect();
  }
}

/** Calls of every command a Redis server ran so far, the INFO calls that read it left out. */
export async function commandCalls(port: number): Promise<number> {
  return Object.values(await commandCallsByName(port)).reduce((sum, n) => sum + n, 0);
}

/** Commands each server on `ports` runs while `run` does, in the order of `ports`. */
export async function commandsDuring(ports: readonly number[], run: () => Promise<void>): Promise<number[]> {
  return (await commandsByNameDuring(ports, run)).perServer;
}

/** Commands each server runs while `run` does (in the order of `ports`), and all servers' calls by command name. */
export async function commandsByNameDuring(
  ports: readonly number[],
  run: () => Promise<void>,
): Promise<{ perServer: number[]; byName: Record<string, number> }> {
  const before = await Promise.all(ports.map(commandCallsByName));
  await run();
  const after = await Promise.all(ports.map(commandCallsByName));
  const byName: Record<string, number> = {};
  const perServer = after.map((calls, i) => {
    let sum = 0;
    for (const [name, n] of Object.entries(calls)) {
      const delta = n - (before[i]![name] ?? 0);
      sum += delta;
      if (delta > 0) byName[name] = (byName[name] ?? 0) + delta;
    }
    return sum;
  });
  return { perServer, byName };
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
