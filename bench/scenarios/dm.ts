/**
 * dm: direct messages between contacts over 3 nodes (Redis + PostgreSQL).
 *  - live: N online users with 10 contacts each (seeded in PostgreSQL),
 *    R msg/s in total, each from a random user to a random contact of its;
 *    ack latency (stored in PostgreSQL before the ack) and one-way latency
 *    from the sender's emit to the recipient's `dm` (one process, one clock);
 *    every acked message must reach its recipient once.
 *  - offline: some users go offline, their contacts queue Q DMs for them; on
 *    reconnect each reads `contacts-list` and pages `dm-history` back until it
 *    holds every unread message: time to all, and 0 lost.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { seedContactRing, type SeededContact } from '../../test/helpers/contact-seed';
import { closeAll, connectWithSession, pool, request, type Client } from '../lib/clients';
import type { BenchContext } from '../lib/context';
import { paced, Rejections } from '../lib/paced';
import { sleep } from '../lib/procs';
import { startRoomsCluster } from '../lib/rooms-cluster';
import { summarize, type Summary } from '../lib/stats';

export interface DmLiveRun {
  users: number;
  contactsPerUser: number;
  nodes: number;
  ratePerSecond: number;
  seconds: number;
  sent: number;
  acked: number;
  rejected: number;
  rejectedBy?: Record<string, number>;
  delivered: number;
  lost: number;
  duplicated: number;
  ackMs: Summary;
  oneWayMs: Summary;
}

export interface DmOfflineRun {
  offlineUsers: number;
  queued: number;
  /** From the first reconnect to the last user holding all its unread messages. */
  allDeliveredS: number;
  /** Per user: reconnect → every unread message read back. */
  perUserMs: Summary;
  received: number;
  lost: number;
}

export interface DmResult {
  setupS: number;
  live: DmLiveRun;
  offline: DmOfflineRun;
}

const CONTACTS = 10;
const ACK_TIMEOUT_MS = 10_000;
const PADDING = 'x'.repeat(48);

function sizes(mode: BenchContext['mode']) {
  if (mode === 'smoke') return { users: 60, rate: 20, offline: 6, queued: 300 };
  if (mode === 'quick') return { users: 600, rate: 100, offline: 30, queued: 3000 };
  return { users: 2000, rate: 200, offline: 100, queued: 10_000 };
}

interface User {
  client: Client;
  token: string;
  contacts: SeededContact[];
  /** Ids of DMs received live. */
  seen: Set<string>;
  duplicated: number;
}

export async function dm(ctx: BenchContext): Promise<DmResult> {
  const size = sizes(ctx.mode);
  const nodes = 3;
  ctx.progress.step(`dm: starting PostgreSQL, Redis and ${nodes} nodes`);
  const cluster = await startRoomsCluster(ctx, nodes, { DM_RATE_LIMIT: '1000000', CONTACTS_MAX: String(CONTACTS + 1) });
  const pg = new Pool({ connectionString: cluster.postgres.url, max: 8 });
  const urls = cluster.nodes.map((n) => n.url);
  const users: User[] = [];
  try {
    const t0 = performance.now();
    ctx.progress.step(`dm: connecting ${size.users} users`);
    const sessions = await pool(size.users, 50, (i) => connectWithSession(urls[i % urls.length]!), (d) => ctx.progress.update(`${d}/${size.users}`));
    ctx.progress.step(`dm: seeding ${CONTACTS} contacts per user`);
    const contacts = await seedContactRing(pg, sessions.map((s) => s.session.userId), CONTACTS, (d) => ctx.progress.update(`${d} pairs`));
    const latencies: number[] = [];
    sessions.forEach(({ client, session }, i) => {
      const user: User = { client, token: session.token, contacts: contacts[i]!, seen: new Set(), duplicated: 0 };
      users.push(user);
      client.on('dm', (ev: { id: string; text: string }) => {
        const sentAt = Number(ev.text.slice(1, ev.text.indexOf(' ')));
        if (Number.isFinite(sentAt)) latencies.push(performance.now() - sentAt);
        if (user.seen.has(ev.id)) user.duplicated++;
        else user.seen.add(ev.id);
      });
    });
    const setupS = Math.round((performance.now() - t0) / 100) / 10;
    const live = await runLive(ctx, users, size.rate, nodes, latencies);
    const offline = await runOffline(ctx, urls, users, size.offline, size.queued);
    return { setupS, live, offline };
  } finally {
    closeAll(users.map((u) => u.client));
    await pg.end();
    await cluster.stop();
  }
}

async function runLive(ctx: BenchContext, users: User[], rate: number, nodes: number, latencies: number[]): Promise<DmLiveRun> {
  const target = Math.round(rate * ctx.seconds);
  const acked: { id: string; to: User }[] = [];
  const ackLatencies: number[] = [];
  const rejections = new Rejections();
  ctx.progress.step(`dm live: ${rate} msg/s for ${ctx.seconds} s`);
  const { settled } = await paced(ctx, rate, target, () => {
    const from = users[Math.floor(Math.random() * users.length)]!;
    const contact = from.contacts[Math.floor(Math.random() * from.contacts.length)]!;
    const to = users[contact.peer]!;
    const sentAt = performance.now();
    const reply = request<{ ok: boolean; message?: { id: string } }>(from.client, 'dm-send', { contactId: contact.contactId, text: `t${sentAt.toFixed(3)} ${PADDING}` }, ACK_TIMEOUT_MS);
    return rejections.track(reply, ({ message }) => {
      if (!message) return false;
      ackLatencies.push(performance.now() - sentAt);
      acked.push({ id: message.id, to });
      return true;
    });
  });
  await settled;
  const received = (): number => acked.filter((a) => a.to.seen.has(a.id)).length;
  const deadline = performance.now() + 3000;
  while (received() < acked.length && performance.now() < deadline) await sleep(50);
  const delivered = received();
  return {
    users: users.length,
    contactsPerUser: CONTACTS,
    nodes,
    ratePerSecond: rate,
    seconds: ctx.seconds,
    sent: target,
    acked: acked.length,
    rejected: rejections.count,
    rejectedBy: rejections.by,
    delivered,
    lost: acked.length - delivered,
    duplicated: users.reduce((a, u) => a + u.duplicated, 0),
    ackMs: summarize(ackLatencies),
    oneWayMs: summarize(latencies),
  };
}

async function runOffline(ctx: BenchContext, urls: string[], users: User[], offlineCount: number, queued: number): Promise<DmOfflineRun> {
  const step = Math.floor(users.length / offlineCount);
  const offline = Array.from({ length: offlineCount }, (_, k) => k * step);
  const owed = new Map<number, Set<string>>(offline.map((i) => [i, new Set()]));
  ctx.progress.step(`dm offline: ${offlineCount} users go offline`);
  for (const i of offline) users[i]!.client.close();
  await sleep(500);
  // Their contacts write to them, round-robin, until `queued` DMs are stored.
  const jobs: { from: User; contactId: string; to: number }[] = [];
  for (let j = 0; jobs.length < queued; j++) {
    const to = offline[j % offline.length]!;
    const peer = users[to]!.contacts[Math.floor(j / offline.length) % CONTACTS]!;
    const back = users[peer.peer]!.contacts.find((c) => c.peer === to)!;
    jobs.push({ from: users[peer.peer]!, contactId: back.contactId, to });
  }
  ctx.progress.step(`dm offline: queueing ${queued} DMs`);
  await pool(jobs.length, 50, async (k) => {
    const job = jobs[k]!;
    const reply = await request<{ ok: boolean; message?: { id: string } }>(job.from.client, 'dm-send', { contactId: job.contactId, text: `q${k} ${PADDING}` }, ACK_TIMEOUT_MS);
    if (!reply.ok || !reply.message) throw new Error(`queueing a DM refused: ${JSON.stringify(reply)}`);
    owed.get(job.to)!.add(reply.message.id);
  }, (d) => ctx.progress.update(`${d}/${queued}`));

  ctx.progress.step(`dm offline: ${offlineCount} users reconnect and read back`);
  const perUser: number[] = [];
  let received = 0;
  const t0 = performance.now();
  await pool(offline.length, offline.length, async (k) => {
    const i = offline[k]!;
    const start = performance.now();
    const { client } = await connectWithSession(urls[(i + 1) % urls.length]!, { auth: { token: users[i]!.token } });
    users[i]!.client = client;
    const got = new Set<string>();
    const list = await request<{ ok: boolean; contacts: { contactId: string; unread: number }[] }>(client, 'contacts-list', {});
    for (const c of list.contacts.filter((x) => x.unread > 0)) {
      let before: string | undefined;
      let unreadLeft = c.unread;
      while (unreadLeft > 0) {
        const page = await request<{ ok: boolean; messages: { id: string; mine: boolean; readAt: number | null }[]; hasMore: boolean }>(
          client,
          'dm-history',
          { contactId: c.contactId, limit: 100, ...(before ? { before } : {}) },
        );
        for (const m of page.messages) if (!m.mine && m.readAt === null && !got.has(m.id)) (got.add(m.id), unreadLeft--);
        if (!page.hasMore || page.messages.length === 0) break;
        before = page.messages[0]!.id;
      }
    }
    perUser.push(performance.now() - start);
    for (const id of owed.get(i)!) if (got.has(id)) received++;
  });
  return {
    offlineUsers: offlineCount,
    queued,
    allDeliveredS: Math.round((performance.now() - t0) / 10) / 100,
    perUserMs: summarize(perUser),
    received,
    lost: queued - received,
  };
}
