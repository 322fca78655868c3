/**
 * Real parley nodes in this process, each with its own HTTP server,
 * Socket.IO server and Redis connections, listening on a free port.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createServer, type ParleyServer } from '../src/server';

export interface RunningNode {
  url: string;
  server: ParleyServer;
  close(): Promise<void>;
}

let prefixCounter = 0;

/** A key prefix unique to this test file and call. */
export function uniquePrefix(): string {
  prefixCounter += 1;
  return `t${process.pid}x${prefixCounter}`;
}

/** `presenceIntervalMs`: the heartbeat (a node silent for 3 of them counts as dead); 200 ms unless given. */
export async function startNode(env: Record<string, string> = {}, options: { presenceIntervalMs?: number } = {}): Promise<RunningNode> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // Every test client comes from 127.0.0.1; the per-IP limits have tests of their own.
    MAX_CONNECTIONS_PER_IP: '100000',
    HANDSHAKE_RATE_LIMIT: '100000',
    NEW_IDENTITY_LIMIT: '100000',
    REPORT_ADDRESS_LIMIT: '100000',
    // Test identities are seconds old; the reporter rules have tests of their own.
    REPORT_MIN_IDENTITY_AGE_MS: '0',
    REPORT_MIN_IDENTITY_MESSAGES: '0',
    // Test clients search and join rooms without showing rules or solving proof of work; both have tests of their own.
    RULES_GATE: 'off',
    POW_DIFFICULTY: '0',
    // Every test client starts rooms from 127.0.0.1, and expects a room list that is never stale.
    ROOM_CREATE_PER_IP_LIMIT: '100000',
    ROOMS_LIST_CACHE_MS: '0',
    // Tests poll with requests far faster than people act; the event budgets have tests of their own.
    TYPING_RATE_LIMIT: '100000',
    CALL_SIGNAL_RATE_LIMIT: '100000',
    ROOM_JOIN_RATE_LIMIT: '100000',
    EVENT_RATE_LIMIT: '100000',
    HEAVY_EVENT_RATE_LIMIT: '100000',
    ...env,
  });
  const server = await createServer(config, {
    logger: pino({ level: process.env.PARLEY_TEST_LOG ?? 'silent' }),
    presenceIntervalMs: options.presenceIntervalMs ?? 200,
  });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = server.httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, close: () => server.close() };
}

/** `count` nodes sharing one Redis (or independent memory nodes without one). */
export async function startCluster(
  count: number,
  env: Record<string, string> = {},
  options: { presenceIntervalMs?: number } = {},
): Promise<RunningNode[]> {
  const nodes: RunningNode[] = [];
  for (let i = 0; i < count; i++) nodes.push(await startNode({ NODE_ID: `node-${i + 1}`, ...env }, options));
  return nodes;
}

export async function stopAll(nodes: RunningNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.close()));
}
