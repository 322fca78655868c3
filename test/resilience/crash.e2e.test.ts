/**
 * A node dies (SIGKILL) under live chats: Redis, three nodes and nginx from
 * `deploy/cluster.sh`, clients from many loopback addresses. Clients that
 * came through nginx reconnect by themselves to a live node and resume their
 * chats; clients that were held by the dead node directly are declared away
 * by the heartbeat sweep (their partners hear it within seconds) and resume
 * when they come back through nginx. No chat ends, and the cluster keeps
 * pairing. A topic-room member held by the dead node leaves its room within
 * the same bound, and the room keeps every acknowledged message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RoomInfo, RoomPresenceEvent } from '../../src/protocol';
import { clusterOnFreePorts, tearDown, type Cluster } from '../../testkit/cluster-sh';
import { eventually } from '../../testkit/eventually';
import { getJson } from '../../testkit/http';
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
/** Heartbeat every 2 s, silent for 6 s means dead, the sweeper runs every second. */
const SWEEP_BOUND_MS = 10_000;

let cluster: Cluster;
let startPids: Record<string, number> = {};
const users: ResilienceUser[] = [];

function user(name: string, url: string, options: ConstructorParameters<typeof ResilienceUser>[2] = {}): ResilienceUser {
  const u = new ResilienceUser(name, url, options);
  users.push(u);
  return u;
}

beforeAll(async () => {
  ensureBuilt();
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'parley-crash-'));
  cluster = await clusterOnFreePorts(runDir, 3, { RESUME_GRACE_MS: String(GRACE_MS) });
  await cluster.sh('up');
  startPids = cluster.pids();
}, 90_000);

afterAll(async () => {
  for (const u of users) u.close();
  await tearDown(cluster, startPids);
  if (cluster) rmSync(cluster.runDir, { recursive: true, force: true });
}, 60_000);

describe('SIGKILL of a node under live chats', () => {
  it('keeps every chat: partners hear "away" within seconds, the dead node’s users resume elsewhere with what they missed, and pairing goes on', async () => {
    const byNode = await addressesByNode(cluster.nginxUrl, 48);
    // The victim: the node nginx sends the most probed addresses to.
    const [victim] = [...byNode.entries()].sort((x, y) => y[1].length - x[1].length)[0]!;
    const victimIndex = Number(victim.replace('node-', ''));
    const onVictim = byNode.get(victim)!;
    const elsewhere = [...byNode.entries()].filter(([id]) => id !== victim).flatMap(([, list]) => list);
    expect(onVictim.length).toBeGreaterThanOrEqual(6);
    expect(elsewhere.length).toBeGreaterThanOrEqual(8);

    // A1..A4: through nginx, held by the victim. B1..B4: their partners, elsewhere.
    // D1, D2: connected straight to the victim's port. E1, E2: their partners.
    const as = onVictim.slice(0, 4).map((address, i) => user(`A${i + 1}`, cluster.nginxUrl, { address }));
    const bs = elsewhere.slice(0, 4).map((address, i) => user(`B${i + 1}`, cluster.nginxUrl, { address }));
    const ds = [1, 2].map((i) => user(`D${i}`, cluster.nodeUrl(victimIndex), { reconnection: false }));
    const es = elsewhere.slice(4, 6).map((address, i) => user(`E${i + 1}`, cluster.nginxUrl, { address }));
    await Promise.all(users.map((u) => u.ready()));

    // A topic room with a member held by the victim (D1) and one elsewhere (E1).
    const created = await es[0]!.request<{ room: RoomInfo }>('room-create', { title: 'Crash room', visibility: 'private' });
    if (!created.ok) throw new Error(`room-create refused: ${created.error.code}`);
    const code = created.room.code;
    expect(await ds[0]!.request('room-join', { code, name: 'Doomed' })).toMatchObject({ ok: true });
    const roomPresence: RoomPresenceEvent[] = [];
    es[0]!.socket.on('room-presence', (e) => roomPresence.push(e));
    const roomSeqs: number[] = [];
    for (let n = 0; n < 5; n++) {
      const ack = await ds[0]!.request<{ message: { seq: number } }>('room-message', { code, text: `before the crash ${n}` });
      if (ack.ok) roomSeqs.push(ack.message.seq);
    }
    expect(roomSeqs).toHaveLength(5);

    const pairs: [ResilienceUser, ResilienceUser, string][] = [];
    for (const [i, [x, y]] of [...as.map((a, k) => [a, bs[k]!]), ...ds.map((d, k) => [d, es[k]!])].entries()) {
      const roomId = await pair(x!, y!, `crash-${i}`);
      await relayed(x!, y!, `hello from ${x!.name}`);
      await relayed(y!, x!, `hello from ${y!.name}`);
      pairs.push([x!, y!, roomId]);
    }
    // Six of the twelve are on the victim, each paired with someone on another node.
    await eventually(async () => {
      const stats = await getJson<Stats>(`${cluster.nginxUrl}/stats`);
      expect(stats.nodes.find((n) => n.nodeId === victim)?.connections).toBe(6);
      expect(stats).toMatchObject({ online: 12, chatting: 12, waiting: 0 });
    }, { timeoutMs: 10_000, intervalMs: 100 });

    // --- the crash ---
    const victimPid = startPids[victim]!;
    const killedAt = Date.now();
    process.kill(victimPid, 'SIGKILL');

    // Through nginx, the transport closes at once; the partner writes while
    // the client is reconnecting (socket.io-client waits ≥ 0.5 s first).
    const sentWhileGone = new Map<ResilienceUser, string[]>();
    await Promise.all(
      as.map(async (a, i) => {
        await eventually(() => a.disconnects.length > 0, { timeoutMs: 15_000, what: `${a.name} saw no disconnect` });
        expect(a.disconnects[0]!.reason).toBe('transport close');
        sentWhileGone.set(a, [await bs[i]!.say(`while ${a.name} reconnects`)]);
      }),
    );

    // They come back through nginx on a live node and pick up the same chat.
    await Promise.all(as.map((a) => eventually(() => a.resumes.length > 0, { timeoutMs: 10_000, what: `${a.name} did not resume` })));
    for (const [i, a] of as.entries()) {
      const [, , roomId] = pairs[i]!;
      expect(a.sessions.map((s) => s.userId)).toEqual([a.userId, a.userId]);
      expect(a.resumes[0]!.roomId).toBe(roomId);
      expect(a.resumes[0]!.missed.map((m) => [m.id, m.mine])).toEqual(
        sentWhileGone.get(a)!.map((id) => [id, false]),
      );
      expect(a.resumes[0]!.missed[0]!.text).toBe(`while ${a.name} reconnects`);
    }
    for (const address of onVictim.slice(0, 4)) {
      expect(await nodeBehindNginx(cluster.nginxUrl, address)).not.toBe(victim);
    }

    // The directly connected users cannot reconnect by themselves: the sweep
    // declares them away and their partners hear it.
    await Promise.all(es.map((e) => eventually(() => e.away.length > 0, { timeoutMs: SWEEP_BOUND_MS, what: `${e.name} heard no partner-away` })));
    const heardAwayAfterMs = Date.now() - killedAt;
    expect(heardAwayAfterMs).toBeLessThan(SWEEP_BOUND_MS);
    for (const [i, e] of es.entries()) expect(e.away).toEqual([{ roomId: pairs[4 + i]![2] }]);
    // The dead node's room member leaves the room within the same bound, and
    // the room's history (read from a live node) holds every acked message.
    await eventually(() => roomPresence.some((p) => p.left?.name === 'Doomed'), { timeoutMs: SWEEP_BOUND_MS - (Date.now() - killedAt), what: 'Doomed did not leave the room' });
    const history = await getJson<{ messages: { seq: number; text: string }[] }>(`${cluster.nginxUrl}/api/rooms/${code}/messages?limit=100`, undefined, {
      authorization: `Bearer ${es[0]!.token}`,
    });
    expect(history.messages.map((m) => m.seq)).toEqual(roomSeqs);
    // Users who already resumed elsewhere are not swept: their partners hear nothing.
    for (const b of bs) expect(b.away).toEqual([]);

    // Messages to an away partner are acknowledged ...
    for (const [i, e] of es.entries()) {
      sentWhileGone.set(ds[i]!, [await e.say(`to away ${ds[i]!.name} 1`), await e.say(`to away ${ds[i]!.name} 2`)]);
    }
    // ... and delivered when it comes back, through nginx this time (from an
    // address nginx would send to the dead node), with its token and its position in the chat.
    const comebacks = ds.map((d, i) =>
      user(`${d.name}'`, cluster.nginxUrl, { address: onVictim[4 + i]!, token: d.token, resumes: d.position }),
    );
    await Promise.all(comebacks.map((c) => eventually(() => c.resumes.length > 0, { timeoutMs: 15_000, what: `${c.name} did not resume` })));
    for (const [i, c] of comebacks.entries()) {
      expect(c.userId).toBe(ds[i]!.userId);
      expect(c.resumes[0]!.roomId).toBe(pairs[4 + i]![2]);
      expect(c.resumes[0]!.missed.map((m) => [m.id, m.mine])).toEqual(
        sentWhileGone.get(ds[i]!)!.map((id) => [id, false]),
      );
    }
    await Promise.all(es.map((e) => eventually(() => e.back.length > 0, { timeoutMs: 15_000, what: `${e.name} heard no partner-back` })));
    for (const [i, e] of es.entries()) expect(e.back).toEqual([{ roomId: pairs[4 + i]![2] }]);

    // The resumed chats carry on, both ways.
    const resumedPairs: [ResilienceUser, ResilienceUser][] = [...as.map((a, i) => [a, bs[i]!]), ...comebacks.map((c, i) => [c, es[i]!])] as [
      ResilienceUser,
      ResilienceUser,
    ][];
    for (const [x, y] of resumedPairs) {
      await relayed(x, y, `after the crash, ${x.name}`);
      await relayed(y, x, `after the crash, ${y.name}`);
    }

    // /stats forgets the dead node and counts the twelve users on the live ones.
    await eventually(async () => {
      const stats = await getJson<Stats>(`${cluster.nginxUrl}/stats`);
      expect(stats.nodes.map((n) => n.nodeId)).not.toContain(victim);
      expect(stats.nodes).toHaveLength(2);
      expect(stats).toMatchObject({ online: 12, chatting: 12, waiting: 0 });
    }, { timeoutMs: 10_000, intervalMs: 100 });

    // New users are still paired, across the two live nodes.
    const fresh = elsewhere.slice(6, 8).map((address, i) => user(`N${i + 1}`, cluster.nginxUrl, { address }));
    await Promise.all(fresh.map((u) => u.ready()));
    await pair(fresh[0]!, fresh[1]!, 'after-crash');
    await relayed(fresh[0]!, fresh[1]!, 'new pair after the crash');

    // Past the grace of the sweep, nothing ended: no partner-disconnected, anywhere.
    const graceOverAt = killedAt + SWEEP_BOUND_MS + GRACE_MS + 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceOverAt - Date.now())));
    for (const u of users) expect({ user: u.name, ended: u.ended }).toEqual({ user: u.name, ended: [] });
    for (const [x, y] of resumedPairs) await relayed(x, y, `still together, ${x.name}`);
    expect(processAlive(victimPid)).toBe(false);
  }, 55_000);

  it('cluster.sh down stops the survivors and copes with the dead node’s stale PID file', async () => {
    for (const u of users) u.close();
    const pids = cluster.pids();
    expect(Object.keys(pids).sort()).toEqual(['nginx', 'node-1', 'node-2', 'node-3', 'postgres', 'redis']);
    const { stderr } = await cluster.sh('down');
    for (const [name, pid] of Object.entries(pids)) {
      expect({ name, alive: processAlive(pid) }).toEqual({ name, alive: false });
    }
    expect(cluster.pids()).toEqual({});
    expect(stderr).toContain('down');
    expect((await cluster.sh('status')).stdout).toContain('0 of 6 running');
  }, 40_000);
});
