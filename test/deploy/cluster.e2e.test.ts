/**
 * The bare-metal cluster end to end: `deploy/cluster.sh up` starts Redis,
 * PostgreSQL, three nodes, nginx and (TURN_SECRET being set) turnserver on free
 * loopback ports; Socket.IO clients connect through nginx, each from its own
 * 127.0.0.x source address, and chat with partners held by other nodes;
 * turnserver answers STUN and asks for credentials in its realm, and the nodes
 * were given its URLs and secret. `cluster.sh down` must leave nothing running.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  MessageEvent,
  ServerToClientEvents,
} from '../../src/protocol';
import { clusterOnFreePorts, tearDown, type Cluster } from '../../testkit/cluster-sh';
import { eventually } from '../../testkit/eventually';
import { getJson, httpGet } from '../../testkit/http';
import { ensureBuilt } from '../../testkit/parley-process';
import { freePortRange } from '../../testkit/ports';
import { processAlive } from '../../testkit/processes';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Health {
  status: string;
  nodeId: string;
  store: string;
  postgres?: string;
}

interface Stats {
  online: number;
  waiting: number;
  chatting: number;
  nodes: { nodeId: string; connections: number }[];
}

const NODES = 3;
const TURN_SECRET = 'cluster-e2e-turn-secret-0123456789';
let turnPort: number;
const PROBED_ADDRESSES = 48;

let cluster: Cluster;
let nginxUrl: string;
const agents: http.Agent[] = [];
const clients: Client[] = [];

function agentFor(address: string): http.Agent {
  const agent = new http.Agent({ localAddress: address, keepAlive: true });
  agents.push(agent);
  return agent;
}

/** Resolves with the first `event` on `socket`, or rejects after `ms`. */
function next<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${ms} ms`)), ms);
    timer.unref();
    (socket as unknown as { once(e: string, f: (arg: unknown) => void): void }).once(
      event as string,
      (arg) => {
        clearTimeout(timer);
        resolve(arg as Parameters<ServerToClientEvents[E]>[0]);
      },
    );
  });
}

/**
 * Connects through nginx from `address`. The agent carries the source address:
 * the polling transport ignores a bare `localAddress` option. The typings
 * declare `agent` as string | boolean; engine.io passes any value through to
 * the HTTP and WebSocket requests.
 */
async function connect(address: string, transports?: ('polling' | 'websocket')[]): Promise<Client> {
  const socket: Client = io(nginxUrl, {
    agent: agentFor(address) as unknown as string,
    ...(transports ? { transports } : {}),
    forceNew: true,
    reconnection: false,
  });
  clients.push(socket);
  const failed = new Promise<never>((_, reject) => socket.once('connect_error', reject));
  await Promise.race([next(socket, 'session'), failed]);
  return socket;
}

/** Which node nginx sends `address` to, read from /health through nginx. */
async function nodeFor(address: string): Promise<string> {
  const agent = new http.Agent({ localAddress: address });
  try {
    const health = await getJson<Health>(`${nginxUrl}/health`, agent);
    expect(health).toMatchObject({ status: 'ok', store: 'redis' });
    return health.nodeId;
  } finally {
    agent.destroy();
  }
}

async function chatBothWays(a: Client, b: Client, tag: string): Promise<void> {
  const matchedA = next(a, 'matched');
  const matchedB = next(b, 'matched');
  const ackA = await a.timeout(5000).emitWithAck('find-match', { interests: [tag] });
  expect(ackA).toEqual({ ok: true, state: 'waiting' });
  const ackB = await b.timeout(5000).emitWithAck('find-match', { interests: [tag] });
  expect(ackB).toEqual({ ok: true, state: 'matched' });
  const [roomA, roomB] = await Promise.all([matchedA, matchedB]);
  expect(roomA.roomId).toBe(roomB.roomId);
  expect(roomA.commonInterests).toEqual([tag]);

  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    const text = `hello from ${from.id} (${tag})`;
    const received = next(to, 'message');
    const ack = await from.timeout(5000).emitWithAck('send-message', { text });
    expect(ack).toMatchObject({ ok: true, message: { id: expect.any(String) } });
    const message: MessageEvent = await received;
    expect(message).toMatchObject({ roomId: roomA.roomId, text });
    if (ack.ok) expect(message.id).toBe(ack.message.id);
  }
}

/** A STUN attribute: type, length, value padded to 4 bytes. */
function attribute(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

const REQUESTED_UDP = attribute(0x0019, Buffer.from([17, 0, 0, 0]));

/** XOR-PEER-ADDRESS of an IPv4 address (port 9). */
function peer(address: string): Buffer {
  const value = Buffer.alloc(8);
  value.writeUInt16BE(0x0001, 0);
  value.writeUInt16BE(9 ^ 0x2112, 2);
  value.writeUInt32BE((address.split('.').reduce((n, part) => n * 256 + Number(part), 0) ^ 0x2112a442) >>> 0, 4);
  return attribute(0x0012, value);
}

interface StunAnswer {
  type: number;
  attributes: Map<number, Buffer>;
  /** ERROR-CODE as a number (401, 403, …), if any. */
  error?: number;
}

/**
 * A STUN/TURN client (RFC 5389/5766) on one UDP socket, so that an allocation
 * and its permissions share the 5-tuple; signs with the long-term key once it
 * has the realm and nonce.
 */
class TurnClient {
  private readonly socket = dgram.createSocket('udp4');
  private signing?: { username: string; realm: Buffer; nonce: Buffer; key: Buffer };

  send(type: number, attributes: Buffer[] = []): Promise<StunAnswer> {
    const id = randomBytes(12);
    const header = (length: number) => {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(type, 0);
      h.writeUInt16BE(length, 2);
      h.writeUInt32BE(0x2112a442, 4);
      id.copy(h, 8);
      return h;
    };
    let body = Buffer.concat(attributes);
    if (this.signing) {
      const { username, realm, nonce, key } = this.signing;
      body = Buffer.concat([body, attribute(0x0006, Buffer.from(username)), attribute(0x0014, realm), attribute(0x0015, nonce)]);
      // MESSAGE-INTEGRITY covers the message with its length already counting the attribute.
      const mac = createHmac('sha1', key).update(Buffer.concat([header(body.length + 24), body])).digest();
      body = Buffer.concat([body, attribute(0x0008, mac)]);
    }
    const message = Buffer.concat([header(body.length), body]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no STUN answer within 5 s')), 5000);
      const onMessage = (answer: Buffer) => {
        if (!answer.subarray(8, 20).equals(id)) return;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        const found = new Map<number, Buffer>();
        for (let at = 20; at + 4 <= answer.length; ) {
          const length = answer.readUInt16BE(at + 2);
          found.set(answer.readUInt16BE(at), answer.subarray(at + 4, at + 4 + length));
          at += 4 + Math.ceil(length / 4) * 4;
        }
        const error = found.get(0x0009);
        resolve({ type: answer.readUInt16BE(0), attributes: found, ...(error ? { error: error[2]! * 100 + error[3]! } : {}) });
      };
      this.socket.on('message', onMessage);
      this.socket.send(message, turnPort, '127.0.0.1');
    });
  }

  /** TURN REST API credentials for `user`, as a node makes them, then the realm and nonce of a 401. */
  sign(user: string, secret: string, challenge: StunAnswer): void {
    const username = `${Math.floor(Date.now() / 1000) + 600}:${user}`;
    const password = createHmac('sha1', secret).update(username).digest('base64');
    const realm = challenge.attributes.get(0x0014)!;
    const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
    this.signing = { username, realm, nonce: challenge.attributes.get(0x0015)!, key };
  }

  close(): void {
    this.socket.close();
  }
}

beforeAll(async () => {
  ensureBuilt();
  turnPort = await freePortRange(1);
  const relayPorts = await freePortRange(20, [turnPort]);
  cluster = await clusterOnFreePorts(mkdtempSync(path.join(os.tmpdir(), 'parley-cluster-')), NODES, {
    TURN_SECRET,
    TURN_PORT: String(turnPort),
    TURN_MIN_PORT: String(relayPorts),
    TURN_MAX_PORT: String(relayPorts + 19),
  });
  nginxUrl = cluster.nginxUrl;
  const { stdout } = await cluster.sh('up');
  expect(stdout).toContain(`app:    ${nginxUrl}/`);
}, 90_000);

afterAll(async () => {
  for (const socket of clients) socket.disconnect();
  for (const agent of agents) agent.destroy();
  // A safety net for a failed test: stop whatever is still up, then kill
  // anything that survived by PID, so no process outlives the suite.
  if (!cluster) return;
  const pids = cluster.pids();
  if (Object.keys(pids).length > 0) await tearDown(cluster, pids);
  rmSync(cluster.runDir, { recursive: true, force: true });
}, 60_000);

describe('deploy/cluster.sh with nginx in front of three nodes', () => {
  it('runs Redis, PostgreSQL, every node and nginx, each with a live PID, and refuses a second up', async () => {
    const pids = cluster.pids();
    expect(Object.keys(pids).sort()).toEqual(['nginx', 'node-1', 'node-2', 'node-3', 'postgres', 'redis', 'turn']);
    for (const pid of Object.values(pids)) expect(processAlive(pid)).toBe(true);
    for (let i = 1; i <= NODES; i++) {
      const health = await getJson<Health>(`${cluster.nodeUrl(i)}/health`);
      expect(health).toMatchObject({ status: 'ok', nodeId: `node-${i}`, store: 'redis', postgres: 'up' });
    }
    const { stdout } = await cluster.sh('status');
    expect(stdout).toContain('7 of 7 running');
    expect(stdout).toMatch(new RegExp(`^turn\\s+running\\s+pid \\d+\\s+127\\.0\\.0\\.1:${turnPort}$`, 'm'));
    expect(stdout).toMatch(/^postgres\s+running\s+pid \d+\s+postgres:\/\/parley@127\.0\.0\.1:\d+\/parley$/m);
    // Three nodes started at once; each migration was applied exactly once.
    const db = new PgClient(`postgres://parley@127.0.0.1:${cluster.postgresPort}/parley`);
    await db.connect();
    try {
      const { rows } = await db.query<{ name: string; runs: string }>(
        'SELECT name, count(*) AS runs FROM parley_migrations GROUP BY name',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect({ name: row.name, runs: Number(row.runs) }).toEqual({ name: row.name, runs: 1 });
    } finally {
      await db.end();
    }
    await expect(cluster.sh('up')).rejects.toMatchObject({
      stderr: expect.stringContaining('already runs'),
    });
    expect(cluster.pids()).toEqual(pids);
  });

  it('runs turnserver with the shared hardening and a private config, relaying only for the nodes’ secret and never to private networks', async () => {
    const turn = new TurnClient();
    try {
      // A Binding request is answered (STUN); an Allocate without credentials is refused with 401 in the realm.
      expect((await turn.send(0x0001)).type).toBe(0x0101);
      const challenge = await turn.send(0x0003, [REQUESTED_UDP]);
      expect({ type: challenge.type, error: challenge.error }).toEqual({ type: 0x0113, error: 401 });
      expect(challenge.attributes.get(0x0014)?.toString()).toBe('parley');
      // Credentials signed with the secret the nodes have allocate a relay.
      turn.sign('e2e-user', TURN_SECRET, challenge);
      expect((await turn.send(0x0003, [REQUESTED_UDP])).type).toBe(0x0103);
      // The hardening: private networks are never peers; on loopback, the loopback peer is.
      for (const address of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1']) {
        const refused = await turn.send(0x0008, [peer(address)]);
        expect({ address, type: refused.type, error: refused.error }).toEqual({ address, type: 0x0118, error: 403 });
      }
      expect((await turn.send(0x0008, [peer('127.0.0.1')])).type).toBe(0x0108);
    } finally {
      turn.close();
    }
    // A wrong secret allocates nothing.
    const stranger = new TurnClient();
    try {
      stranger.sign('e2e-user', 'not-the-secret-0123456789', await stranger.send(0x0003, [REQUESTED_UDP]));
      expect(await stranger.send(0x0003, [REQUESTED_UDP])).toMatchObject({ type: 0x0113, error: 401 });
    } finally {
      stranger.close();
    }

    const config = path.join(cluster.runDir, 'turnserver.conf');
    const text = readFileSync(config, 'utf8');
    expect(text.startsWith(readFileSync(path.join(__dirname, '..', '..', 'deploy', 'coturn', 'turnserver.conf'), 'utf8'))).toBe(true);
    expect(text).toContain(`static-auth-secret=${TURN_SECRET}`);
    // The secret is the caller's only, and on no command line.
    expect(statSync(config).mode & 0o077).toBe(0);
    const turnPid = cluster.pids().turn!;
    expect(readFileSync(`/proc/${turnPid}/cmdline`, 'utf8')).not.toContain(TURN_SECRET);
    const environ = readFileSync(`/proc/${cluster.pids()['node-1']}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`TURN_SECRET=${TURN_SECRET}`);
    expect(environ).toContain(`TURN_URLS=turn:127.0.0.1:${turnPort}?transport=udp,turn:127.0.0.1:${turnPort}?transport=tcp`);
  });

  it('serves the web client, health and stats through nginx, and keeps /metrics closed', async () => {
    expect((await httpGet(`${nginxUrl}/`)).status).toBe(200);
    expect((await httpGet(`${nginxUrl}/health`)).status).toBe(200);
    const stats = await getJson<Stats>(`${nginxUrl}/stats`);
    expect(stats.nodes.map((n) => n.nodeId).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    const metrics = await httpGet(`${nginxUrl}/metrics`);
    expect(metrics.status).toBe(404);
    expect(metrics.body).not.toContain('# HELP');
    expect((await httpGet(`${nginxUrl}/METRICS/`)).status).toBe(404);
  });

  it('pairs clients held by different nodes and relays chat both ways, over WebSocket and polling-then-upgrade', async () => {
    // Where nginx's hash sends each source address.
    const addresses = Array.from({ length: PROBED_ADDRESSES }, (_, i) => `127.0.0.${i + 2}`);
    const nodeOf = new Map<string, string>();
    for (const address of addresses) nodeOf.set(address, await nodeFor(address));
    // The same address always reaches the same node.
    for (const address of addresses.slice(0, 8)) {
      expect(await nodeFor(address)).toBe(nodeOf.get(address));
    }
    const byNode = new Map<string, string[]>();
    for (const [address, nodeId] of nodeOf) {
      byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), address]);
    }
    const nodeIds = [...byNode.keys()].sort();
    expect(nodeIds.length).toBeGreaterThanOrEqual(2);

    // Two pairs per transport, each pair's two sides on different nodes.
    const take = (nodeId: string) => byNode.get(nodeId)!.shift()!;
    const plan: { transports?: ('polling' | 'websocket')[]; a: string; b: string }[] = [];
    for (const transports of [['websocket'] as ('polling' | 'websocket')[], undefined]) {
      for (let k = 0; k < 2; k++) {
        const x = nodeIds[(plan.length) % nodeIds.length]!;
        const y = nodeIds[(plan.length + 1) % nodeIds.length]!;
        plan.push({ transports, a: take(x), b: take(y) });
      }
    }

    const pairs: [Client, Client][] = [];
    for (const { transports, a, b } of plan) {
      pairs.push([await connect(a, transports), await connect(b, transports)]);
    }
    // Polling-then-upgrade clients end up on WebSocket, which only works when
    // the upgrade request reaches the node that holds the polling session.
    const upgraded = pairs.slice(2).flat();
    await eventually(() => {
      for (const socket of upgraded) expect(socket.io.engine.transport.name).toBe('websocket');
    }, { timeoutMs: 10_000, intervalMs: 100 });

    // /stats through nginx sees every client on the node /health predicted.
    const expected: Record<string, number> = {};
    for (const { a, b } of plan) {
      for (const address of [a, b]) {
        const nodeId = nodeOf.get(address)!;
        expected[nodeId] = (expected[nodeId] ?? 0) + 1;
      }
    }
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(2);
    await eventually(async () => {
      const stats = await getJson<Stats>(`${nginxUrl}/stats`);
      expect(stats.online).toBe(clients.length);
      const connections = Object.fromEntries(
        stats.nodes.filter((n) => n.connections > 0).map((n) => [n.nodeId, n.connections]),
      );
      expect(connections).toEqual(expected);
    }, { timeoutMs: 10_000, intervalMs: 100 });

    for (const [index, [a, b]] of pairs.entries()) {
      await chatBothWays(a, b, `deploy-e2e-${index}-${Date.now().toString(36)}`);
    }

    await eventually(async () => {
      const stats = await getJson<Stats>(`${nginxUrl}/stats`);
      expect(stats).toMatchObject({ online: clients.length, chatting: clients.length, waiting: 0 });
    }, { timeoutMs: 10_000, intervalMs: 100 });
  }, 40_000);

  it('down stops every process up started and waits until they are gone', async () => {
    const pids = cluster.pids();
    for (const socket of clients) socket.disconnect();
    await cluster.sh('down');
    for (const [name, pid] of Object.entries(pids)) {
      expect({ name, alive: processAlive(pid) }).toEqual({ name, alive: false });
    }
    expect(cluster.pids()).toEqual({});
    const { stdout } = await cluster.sh('status');
    expect(stdout).toContain('0 of 7 running');
  }, 40_000);
});
