/**
 * TRUST_PROXY by Express's `trust proxy` rules, the same for HTTP and
 * Socket.IO: a client that forges X-Forwarded-For, directly or through a
 * proxy that appends to the header, still counts as its own address for the
 * admin lockout and the per-address connection cap.
 */
import http from 'node:http';
import type { ErrorBody } from '../../src/protocol';
import { createIpHasher } from '../../src/moderation/ip-hash';
import { connect, disconnectAll, type Client, type ConnectOptions } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
const SECRET = 'client-address-test-secret-0123456789';
const ENV = { ADMIN_TOKEN: TOKEN, MAX_CONNECTIONS_PER_IP: '3', SESSION_SECRET: SECRET };
/** Nodes keep only the keyed hash of an address. */
const hashOf = createIpHasher(SECRET);
/** One proxy in front (nginx), which appends the address it sees to the client's header. */
let behindOneProxy: RunningNode;
/** The proxy is named by address: only 127.0.0.1 may speak for a client. */
let behindListedProxy: RunningNode;

beforeAll(async () => {
  behindOneProxy = await startNode({ ...ENV, TRUST_PROXY: '1' });
  behindListedProxy = await startNode({ ...ENV, TRUST_PROXY: '127.0.0.1' });
});
afterEach(() => disconnectAll());
afterAll(async () => {
  await behindOneProxy?.close();
  await behindListedProxy?.close();
});

/** The address hash the node recorded for a connected client. */
function addressOf(node: RunningNode, client: Client): unknown {
  const socket = [...node.server.io.of('/').sockets.values()].find((s) => s.data.userId === client.session.userId);
  return socket?.data.ipHash;
}

/** Connects; resolves with the client, or with the refusal's data. */
async function attempt(node: RunningNode, options: ConnectOptions): Promise<Client | ErrorBody | undefined> {
  return connect(node.url, options).catch((err: Error & { data: ErrorBody }) => err.data);
}

/** GET with a wrong operator token from `localAddress`; resolves with the status. */
function wrongToken(node: RunningNode, forwardedFor: string, localAddress = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${node.url}/api/admin/reports`,
      { localAddress, headers: { authorization: 'Bearer not-the-operator-token', 'x-forwarded-for': forwardedFor } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.once('error', reject);
  });
}

async function wrongTokens(node: RunningNode, count: number, forwardedFor: (i: number) => string, localAddress?: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await wrongToken(node, forwardedFor(i), localAddress));
  return statuses;
}

const lockedOutAfterTen = [...Array(10).fill(401), 429, 429, 429, 429];

/**
 * Over the cap, a connection is refused either at its transport (the node counts
 * transports per address before the Socket.IO connect: no error body) or at the
 * Socket.IO handshake (RATE_LIMITED about connections).
 */
function refusedForConnections(outcome: Client | ErrorBody | undefined): boolean {
  if (outcome === undefined) return true;
  return 'code' in outcome && outcome.code === 'RATE_LIMITED' && /connections/.test(outcome.message);
}

test('through a proxy that appends, the client is the entry the proxy added: rotating the rest changes nothing', async () => {
  expect(await wrongTokens(behindOneProxy, 14, (i) => `198.51.100.${i}, 203.0.113.7`)).toEqual(lockedOutAfterTen);

  const outcomes: (Client | ErrorBody | undefined)[] = [];
  for (let i = 0; i < 5; i++) outcomes.push(await attempt(behindOneProxy, { headers: { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.8` } }));
  expect(addressOf(behindOneProxy, outcomes[0] as Client)).toBe(hashOf('203.0.113.8'));
  expect(outcomes.slice(3).map(refusedForConnections)).toEqual([true, true]);
});

test('with the proxy listed by address, a client reaching the node directly cannot forge its address', async () => {
  const direct = '127.0.0.21';
  expect(await wrongTokens(behindListedProxy, 14, (i) => `198.51.100.${i}`, direct)).toEqual(lockedOutAfterTen);

  const outcomes: (Client | ErrorBody | undefined)[] = [];
  for (let i = 0; i < 5; i++) outcomes.push(await attempt(behindListedProxy, { address: direct, headers: { 'x-forwarded-for': `198.51.100.${i}` } }));
  expect(addressOf(behindListedProxy, outcomes[0] as Client)).toBe(hashOf(direct));
  expect(outcomes.slice(3).map(refusedForConnections)).toEqual([true, true]);

  // Through the listed proxy, its entry is believed.
  const proxied = await connect(behindListedProxy.url, { address: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.77, 203.0.113.9' } });
  expect(addressOf(behindListedProxy, proxied)).toBe(hashOf('203.0.113.9'));
});
