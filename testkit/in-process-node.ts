/**
 * A parley node in the test's own process, on a free loopback port: for tests
 * that must reach inside a node (wrap a store step, hold a handshake) where a
 * separate process (./nodes.ts) cannot be reached.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createServer, type ParleyServer } from '../src/server';

export interface InProcessNode {
  url: string;
  server: ParleyServer;
}

/** `presenceIntervalMs`: heartbeats and figure pushes (the node's default is 2 s). */
export async function startInProcessNode(env: Record<string, string>, presenceIntervalMs?: number): Promise<InProcessNode> {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env });
  const logger = pino({ level: process.env.PARLEY_TEST_LOG ?? 'silent' });
  const server = await createServer(config, { logger, ...(presenceIntervalMs !== undefined ? { presenceIntervalMs } : {}) });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`, server };
}

/**
 * Holds the next call of `target[method]` (a store step, say) until released:
 * `'before'` the step runs, or `'after'` it ran and before its caller goes on.
 * `reached` resolves when the call is held; later calls run as usual.
 */
export function holdNextCall<T extends object, K extends keyof T>(
  target: T,
  method: K,
  at: 'before' | 'after',
): { reached: Promise<void>; release: () => void } {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  let reachedNow!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reachedNow = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  (target as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    (target as Record<K, unknown>)[method] = original;
    const result = at === 'after' ? await original(...args) : undefined;
    reachedNow();
    await released;
    return at === 'after' ? result : original(...args);
  };
  return { reached, release };
}
