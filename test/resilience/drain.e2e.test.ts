/**
 * A node is stopped gracefully (SIGTERM) under live chats: Redis, three nodes
 * and nginx from `deploy/cluster.sh`, clients from many loopback addresses.
 * The node turns unready, closes its clients' transports, they reconnect
 * through nginx to the other nodes and resume, nobody's chat ends, and the
 * process exits well before DRAIN_TIMEOUT_MS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { clusterOnFreePorts, tearDown, type Cluster } from '../../testkit/cluster-sh';
import { eventually } from '../../testkit/eventually';
import { getJson, httpGet } from '../../testkit/http';
import { ensureBuilt } from '../../testkit/parley-process';
import { processAlive } from '../../testkit/processes';
import {
  addressesByNode,
  ResilienceUser,
  nodeBehindNginx,
  pair,
  relayed,
  type Stats,
} from './helpers';

const GRACE_MS = 15_000;
const DRAIN_TIMEOUT_MS = 5000;

let cluster: Cluster;
/** Stops the /health poller, also when a test fails half-way. */
let stopProbing = (): void => undefined;
let startPids: Record<string, number> = {};
const users: ResilienceUser[] = [];

function user(name: string, url: string, options: ConstructorParameters<typeof ResilienceUser>[2] = {}): ResilienceUser {
  const u = new ResilienceUser(name, url, options);
  users.push(u);
  return u;
}

beforeAll(async () => {
  ensureBuilt();
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'parley-drain-'));
  cluster = await clusterOnFreePorts(runDir, 3, {
    RESUME_GRACE_MS: String(GRACE_MS),
    DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
  });
  await cluster.sh('up');
  startPids = cluster.pids();
}, 90_000);

afterAll(async () => {
  stopProbing();
  for (const u of users) u.close();
  await tearDown(cluster, startPids);
  if (cluster) rmSync(cluster.runDir, { recursive: true, force: true });
}, 60_000);

describe('SIGTERM of a node under live chats', () => {
  it('turns the node unready, moves its users to the other nodes with their chats, and exits before the drain timeout', async () => {
    const byNode = await addressesByNode(cluster.nginxUrl, 48);
    const [victim] = [...byNode.entries()].sort((x, y) => y[1].length - x[1].length)[0]!;
    const victimIndex = Number(victim.replace('node-', ''));
    const onVictim = byNode.get(victim)!;
    const elsewhere = [...byNode.entries()].filter(([id]) => id !== victim).flatMap(([, list]) => list);
    expect(onVictim.length).toBeGreaterThanOrEqual(4);
    expect(elsewhere.length).toBeGreaterThanOrEqual(6);

    // A1..A4 held by the victim (two on WebSocket, two polling-then-upgrade),
    // each chatting with a B on another node.
    const as = onVictim
      .slice(0, 4)
      .map((address, i) =>
        user(`A${i + 1}`, cluster.nginxUrl, { address, ...(i >= 2 ? { transports: ['polling', 'websocket'] } : {}) }),
      );
    const bs = elsewhere.slice(0, 4).map((address, i) => user(`B${i + 1}`, cluster.nginxUrl, { address }));
    await Promise.all(users.map((u) => u.ready()));
    const rooms: string[] = [];
    for (const [i, a] of as.entries()) {
      rooms.push(await pair(a, bs[i]!, `drain-${i}`));
      await relayed(a, bs[i]!, `hello from ${a.name}`);
      await relayed(bs[i]!, a, `hello from ${bs[i]!.name}`);
    }
    await eventually(async () => {
      for (const a of as) expect(a.socket.io.engine.transport.name).toBe('websocket');
      const stats = await getJson<Stats>(`${cluster.nginxUrl}/stats`);
      expect(stats.nodes.find((n) => n.nodeId === victim)?.connections).toBe(4);
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect((await httpGet(`${cluster.nodeUrl(victimIndex)}/health/ready`)).status).toBe(200);

    // Liveness through nginx, polled all along, from an address hashed to the
    // victim and from one that is not.
    const healthProbes: { address: string; status: number }[] = [];
    let probing = true;
    stopProbing = () => {
      probing = false;
    };
    const probeAgents = [onVictim[4] ?? onVictim[0]!, elsewhere[5]!].map(
      (address) => [address, new http.Agent({ localAddress: address, keepAlive: true })] as const,
    );
    const prober = (async () => {
      while (probing) {
        for (const [address, agent] of probeAgents) {
          const status = await httpGet(`${cluster.nginxUrl}/health`, agent).then(
            (r) => r.status,
            () => 0,
          );
          healthProbes.push({ address, status });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    // --- the drain ---
    const victimPid = startPids[victim]!;
    const termAt = Date.now();
    process.kill(victimPid, 'SIGTERM');

    // Once draining has begun (a client's transport was closed) the node is
    // unready: it accepts no new connection, so a readiness probe fails.
    // (It stops listening at the same instant /health/ready would turn 503,
    // so a probe sees the refusal, not the 503.)
    await eventually(() => as.some((a) => a.disconnects.length > 0), { timeoutMs: 15_000, what: 'no client saw the drain' });
    await expect(httpGet(`${cluster.nodeUrl(victimIndex)}/health/ready`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    // Each A's transport is closed by the server (socket.io-client keeps its
    // automatic reconnection); its partner writes meanwhile.
    const sentWhileGone = new Map<ResilienceUser, string>();
    await Promise.all(
      as.map(async (a, i) => {
        await eventually(() => a.disconnects.length > 0, { timeoutMs: 15_000, what: `${a.name} saw no disconnect` });
        expect(a.disconnects[0]!.reason).toBe('transport close');
        sentWhileGone.set(a, await bs[i]!.say(`while ${a.name} moves`));
      }),
    );

    // Every A is back on another node, in the same chat, with what it missed.
    await Promise.all(as.map((a) => eventually(() => a.resumes.length > 0, { timeoutMs: 10_000, what: `${a.name} did not resume` })));
    for (const [i, a] of as.entries()) {
      expect(a.sessions.map((s) => s.userId)).toEqual([a.userId, a.userId]);
      expect(a.resumes[0]!.roomId).toBe(rooms[i]);
      expect(a.resumes[0]!.missed.map((m) => [m.id, m.text, m.mine])).toEqual([
        [sentWhileGone.get(a), `while ${a.name} moves`, false],
      ]);
    }
    for (const address of onVictim.slice(0, 4)) {
      expect(await nodeBehindNginx(cluster.nginxUrl, address)).not.toBe(victim);
    }

    // The process exits once its clients are gone, well before the drain timeout.
    await eventually(() => !processAlive(victimPid), { timeoutMs: DRAIN_TIMEOUT_MS + 2000, intervalMs: 20, what: `process ${victimPid} still alive` });
    const exitedAfterMs = Date.now() - termAt;
    expect(exitedAfterMs).toBeLessThan(DRAIN_TIMEOUT_MS);
    probing = false;
    await prober;
    for (const [, agent] of probeAgents) agent.destroy();
    expect(healthProbes.length).toBeGreaterThan(4);
    expect(healthProbes.filter((p) => p.status !== 200)).toEqual([]);

    // The chats go on, both ways; the partners saw at most a short "away".
    for (const [i, a] of as.entries()) {
      await relayed(a, bs[i]!, `moved, ${a.name}`);
      await relayed(bs[i]!, a, `welcome back, ${a.name}`);
    }
    for (const [i, b] of bs.entries()) {
      expect(b.back).toEqual(b.away);
      for (const event of b.away) expect(event).toEqual({ roomId: rooms[i] });
    }

    // /stats forgets the drained node; pairing goes on.
    await eventually(async () => {
      const stats = await getJson<Stats>(`${cluster.nginxUrl}/stats`);
      expect(stats.nodes.map((n) => n.nodeId)).not.toContain(victim);
      expect(stats).toMatchObject({ online: 8, chatting: 8, waiting: 0 });
    }, { timeoutMs: 10_000, intervalMs: 100 });
    const fresh = [onVictim[5] ?? onVictim[1]!, elsewhere[4]!].map((address, i) =>
      user(`N${i + 1}`, cluster.nginxUrl, { address }),
    );
    await Promise.all(fresh.map((u) => u.ready()));
    await pair(fresh[0]!, fresh[1]!, 'after-drain');
    await relayed(fresh[0]!, fresh[1]!, 'new pair after the drain');

    // Past the resume grace, no chat ended.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, termAt + GRACE_MS + 1000 - Date.now())));
    for (const u of users) expect({ user: u.name, ended: u.ended }).toEqual({ user: u.name, ended: [] });
    for (const [i, a] of as.entries()) await relayed(bs[i]!, a, `still here, ${a.name}`);
    expect(processAlive(victimPid)).toBe(false);
  }, 50_000);

  it('cluster.sh down stops the rest and copes with the drained node’s PID file', async () => {
    for (const u of users) u.close();
    const pids = cluster.pids();
    await cluster.sh('down');
    for (const [name, pid] of Object.entries(pids)) {
      expect({ name, alive: processAlive(pid) }).toEqual({ name, alive: false });
    }
    expect(cluster.pids()).toEqual({});
  }, 40_000);
});
