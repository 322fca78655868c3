/**
 * history: topic-room history with PostgreSQL behind the recent window.
 *  - reads: N rooms × M messages seeded straight into PostgreSQL and Redis
 *    (test/helpers/room-seed.ts), then `GET /api/rooms/:code/messages?before=
 *    <seq>&limit=50` at random depths, one request at a time; every page is
 *    checked against what was seeded.
 *  - writer: messages sent through the real protocol (`room-message`) at a
 *    fixed rate over several rooms; lag from each message's ack to its row
 *    being visible in PostgreSQL, found by polling the table.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { seedRoomCodes, seedRoomHistory, seededMessage } from '../../test/helpers/room-seed';
import { closeAll, connect, pool, request, type Client } from '../lib/clients';
import { httpGet } from '../../testkit/http';
import type { BenchContext } from '../lib/context';
import { paced, Rejections } from '../lib/paced';
import { sleep } from '../lib/procs';
import { cpuSecondsOf, type CpuShare } from '../lib/cpu-meter';
import { startRoomsCluster, type RoomsCluster } from '../lib/rooms-cluster';
import { netCpuPerMessage } from './room-fanout';
import { round, summarize, type Summary } from '../lib/stats';

/** The product's recent window (docs/protocol.md, "History bound"). */
const WINDOW = 500;
const PAGE = 50;
/** How often the writer phase polls PostgreSQL for new rows. */
const POLL_MS = 25;

export interface HistoryReads {
  rooms: number;
  messagesPerRoom: number;
  messages: number;
  seedS: number;
  requests: number;
  /** Non-200 answers. */
  errors: number;
  /** Pages that were not exactly the seeded messages below `before`. */
  wrong: number;
  all: Summary;
  /** Pages served from the Redis window alone. */
  window: Summary;
  /** Pages that reach below the window: PostgreSQL (plus the window's part, if any). */
  archive: Summary;
  /** CPU by process group during the recorded requests. */
  cpu?: CpuShare;
}

export interface HistoryWriter {
  nodes: number;
  rooms: number;
  senders: number;
  offeredPerS: number;
  seconds: number;
  sent: number;
  acked: number;
  rejected: number;
  /** Rejections by error code (`timeout`: no ack within 10 s). */
  rejectedBy?: Record<string, number>;
  ackedPerS: number;
  /** Rows found in PostgreSQL per second, first send to last row found. */
  archivedPerS: number;
  /** From the ack to the poll that first found the row (resolution POLL_MS). */
  lagMs: Summary;
  ackMs: Summary;
  /** Acked messages whose row had not appeared 15 s after the last send. */
  unarchived: number;
  pollMs: number;
  /** CPU by process group from the first send until every row was found (or the wait ended). */
  cpu?: CpuShare;
  /** Node CPU (all nodes) per acked message, µs. */
  nodeCpuUsPerMessage?: number;
  /** PostgreSQL CPU seconds of the bench's own polling connection (part of cpu.postgresS). */
  pollPostgresS?: number;
}

export interface HistoryResult {
  nodes: number;
  /** CPU seconds per second all nodes spent idle, before the seed. */
  idleNodeCpu?: number;
  reads: HistoryReads;
  writer: HistoryWriter;
}

function sizes(mode: BenchContext['mode']): { rooms: number; perRoom: number; requests: number; rate: number; writerRooms: number } {
  if (mode === 'smoke') return { rooms: 2, perRoom: 1000, requests: 200, rate: 300, writerRooms: 4 };
  if (mode === 'quick') return { rooms: 100, perRoom: 1000, requests: 1000, rate: 2000, writerRooms: 20 };
  return { rooms: 1000, perRoom: 1000, requests: 3000, rate: 2000, writerRooms: 20 };
}

async function reads(ctx: BenchContext, cluster: RoomsCluster, pg: Pool, s: ReturnType<typeof sizes>): Promise<HistoryReads> {
  const total = s.rooms * s.perRoom;
  ctx.progress.step(`history: seeding ${total.toLocaleString('en-US')} messages over ${s.rooms} rooms`);
  const codes = seedRoomCodes(s.rooms);
  const now = Date.now();
  const url = cluster.nodes[0]!.url;
  const redis = new Redis(cluster.redis.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const t0 = performance.now();
  try {
    await seedRoomHistory(pg, redis, 'parley', codes, {
      rooms: s.rooms,
      messagesPerRoom: s.perRoom,
      window: WINDOW,
      now,
      onProgress: (done) => ctx.progress.update(`${done}/${s.rooms} rooms`),
    });
  } finally {
    redis.disconnect();
  }
  const seedS = round((performance.now() - t0) / 1000, 1);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const oldestKept = Math.max(1, s.perRoom - WINDOW + 1);
  const all: number[] = [];
  const inWindow: number[] = [];
  const archive: number[] = [];
  let errors = 0;
  let wrong = 0;
  const one = async (record: boolean): Promise<void> => {
    const code = codes[Math.floor(Math.random() * codes.length)]!;
    const before = 2 + Math.floor(Math.random() * s.perRoom); // 2 … perRoom + 1: every page holds ≥ 1 message
    const started = performance.now();
    const res = await httpGet(`${url}/api/rooms/${code}/messages?before=${before}&limit=${PAGE}`, agent, 5000).catch(() => ({ status: 0, body: '' }));
    const took = performance.now() - started;
    if (!record) return;
    if (res.status !== 200) {
      errors++;
      return;
    }
    const page = JSON.parse(res.body) as { messages: { seq: number; id: string; text: string; sentAt: number }[]; hasMore: boolean };
    const from = Math.max(1, before - PAGE);
    const ok =
      page.messages.length === before - from &&
      page.hasMore === from > 1 &&
      page.messages.every((m, i) => {
        const want = seededMessage(code, from + i, { messagesPerRoom: s.perRoom, now });
        return m.seq === want.seq && m.id === want.id && m.text === want.text && m.sentAt === want.sentAt;
      });
    if (!ok) wrong++;
    all.push(took);
    (before > oldestKept + PAGE ? inWindow : archive).push(took);
  };
  ctx.progress.step(`history: ${s.requests} pages at random depths`);
  for (let i = 0; i < 50; i++) await one(false);
  const endCpu = cluster.meter();
  for (let i = 0; i < s.requests; i++) {
    await one(true);
    if (i % 50 === 0) ctx.progress.update(`${i}/${s.requests}`);
  }
  const cpu = endCpu();
  agent.destroy();
  return {
    rooms: s.rooms,
    messagesPerRoom: s.perRoom,
    messages: total,
    seedS,
    requests: s.requests,
    errors,
    wrong,
    all: summarize(all),
    window: summarize(inWindow),
    archive: summarize(archive),
    cpu,
  };
}

/**
 * Rows above each room's highest seq found so far: one primary-key range scan
 * per room (`OFFSET 0` keeps the planner from turning the LATERAL into a hash
 * join over a sequential scan of the whole table).
 */
const NEW_ROWS = `SELECT f.code AS room_code, m.seq FROM unnest($1::text[], $2::bigint[]) AS f(code, floor)
  CROSS JOIN LATERAL (SELECT seq FROM room_messages WHERE room_code = f.code AND seq > f.floor OFFSET 0) AS m`;
/** Which of these (room, seq) rows exist: holes below the highest seq found (batches of two archivers commit out of order). */
const HOLE_ROWS = `SELECT f.code AS room_code, m.seq FROM unnest($1::text[], $2::bigint[]) AS f(code, want)
  CROSS JOIN LATERAL (SELECT seq FROM room_messages WHERE room_code = f.code AND seq = f.want OFFSET 0) AS m`;

async function writer(ctx: BenchContext, cluster: RoomsCluster, pg: Pool, s: ReturnType<typeof sizes>, idle: number): Promise<HistoryWriter> {
  const urls = cluster.nodes.map((n) => n.url);
  const sendersPerRoom = 2;
  const total = s.writerRooms * sendersPerRoom;
  ctx.progress.step(`history writer: ${total} senders in ${s.writerRooms} rooms`);
  const clients: Client[] = await pool(total, 20, (i) => connect(urls[i % urls.length]!));
  try {
    const codes: string[] = [];
    for (let r = 0; r < s.writerRooms; r++) {
      const reply = await request<{ ok: boolean; room?: { code: string } }>(clients[r * sendersPerRoom]!, 'room-create', { title: `writer ${r}`, visibility: 'private' });
      if (!reply.ok || !reply.room) throw new Error(`room-create refused: ${JSON.stringify(reply)}`);
      codes.push(reply.room.code);
      for (let k = 1; k < sendersPerRoom; k++) {
        const join = await request(clients[r * sendersPerRoom + k]!, 'room-join', { code: reply.room.code });
        if (!join.ok) throw new Error(`room-join refused: ${JSON.stringify(join)}`);
      }
    }
    // The room rows are archived too; wait for the archiver to settle before the clock runs.
    await sleep(1500);

    const roomIndex = new Map(codes.map((c, i) => [c, i]));
    const ackedAt: Map<number, number>[] = codes.map(() => new Map());
    const foundAt: Map<number, number>[] = codes.map(() => new Map());
    const maxFound = codes.map(() => 0);
    /** Acked seqs not found yet, per room. */
    const outstanding: Set<number>[] = codes.map(() => new Set());
    let polling = true;
    let lastFound = 0;
    const pollClient = await pg.connect();
    const pollPid = Number((await pollClient.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    const pollCpu0 = cpuSecondsOf(pollPid);
    const poller = (async () => {
      while (polling) {
        const started = performance.now();
        const holeCodes: string[] = [];
        const holeSeqs: number[] = [];
        for (let r = 0; r < codes.length; r++) {
          for (const seq of outstanding[r]!) {
            if (seq < maxFound[r]!) {
              holeCodes.push(codes[r]!);
              holeSeqs.push(seq);
            }
          }
        }
        const found = (await pollClient.query<{ room_code: string; seq: string }>(NEW_ROWS, [codes, maxFound])).rows;
        if (holeSeqs.length) found.push(...(await pollClient.query<{ room_code: string; seq: string }>(HOLE_ROWS, [holeCodes, holeSeqs])).rows);
        const now = performance.now();
        for (const row of found) {
          const r = roomIndex.get(row.room_code)!;
          const seq = Number(row.seq);
          if (!foundAt[r]!.has(seq)) {
            foundAt[r]!.set(seq, now);
            outstanding[r]!.delete(seq);
            lastFound = now;
          }
          if (seq > maxFound[r]!) maxFound[r] = seq;
        }
        await sleep(Math.max(0, POLL_MS - (performance.now() - started)));
      }
    })();

    const target = Math.round(s.rate * ctx.seconds);
    const ackLatencies: number[] = [];
    let acked = 0;
    const rejections = new Rejections();
    const endCpu = cluster.meter();
    ctx.progress.step(`history writer: ${s.rate} msg/s for ${ctx.seconds} s`);
    const { start, sentAt: sendEnd, settled } = await paced(ctx, s.rate, target, (n) => {
      const room = n % s.writerRooms;
      const client = clients[room * sendersPerRoom + (Math.floor(n / s.writerRooms) % sendersPerRoom)]!;
      const t = performance.now();
      const reply = request<{ ok: boolean; message?: { seq: number } }>(client, 'room-message', { code: codes[room]!, text: `w${n + 1} ${'y'.repeat(48)}` }, 10_000);
      return rejections.track(reply, ({ message }) => {
        if (!message) return false;
        const now = performance.now();
        acked++;
        ackLatencies.push(now - t);
        ackedAt[room]!.set(message.seq, now);
        if (!foundAt[room]!.has(message.seq)) outstanding[room]!.add(message.seq);
        return true;
      });
    });
    await settled;
    const ackedPerS = acked / ((sendEnd - start) / 1000);

    const missing = (): number => outstanding.reduce((a, o) => a + o.size, 0);
    const deadline = performance.now() + 15_000;
    while (missing() > 0 && performance.now() < deadline) await sleep(100);
    polling = false;
    await poller;
    const cpu = endCpu();
    const pollPostgresS = round(cpuSecondsOf(pollPid) - pollCpu0);
    pollClient.release();

    const lags: number[] = [];
    let found = 0;
    for (let r = 0; r < codes.length; r++) {
      for (const [seq, at] of ackedAt[r]!) {
        const f = foundAt[r]!.get(seq);
        if (f !== undefined) lags.push(Math.max(0, f - at));
      }
      found += foundAt[r]!.size;
    }
    return {
      nodes: urls.length,
      rooms: s.writerRooms,
      senders: total,
      offeredPerS: s.rate,
      seconds: ctx.seconds,
      sent: target,
      acked,
      rejected: rejections.count,
      rejectedBy: rejections.by,
      ackedPerS: Math.round(ackedPerS),
      archivedPerS: Math.round(found / Math.max(0.001, (lastFound - start) / 1000)),
      lagMs: summarize(lags),
      ackMs: summarize(ackLatencies),
      unarchived: missing(),
      pollMs: POLL_MS,
      cpu,
      nodeCpuUsPerMessage: netCpuPerMessage(cpu, idle, acked),
      pollPostgresS,
    };
  } finally {
    closeAll(clients);
  }
}

export async function history(ctx: BenchContext): Promise<HistoryResult> {
  const nodes = 2;
  const s = sizes(ctx.mode);
  ctx.progress.step(`history: starting PostgreSQL, Redis and ${nodes} nodes`);
  const cluster = await startRoomsCluster(ctx, nodes);
  const pg = new Pool({ connectionString: cluster.postgres.url, max: 2 });
  try {
    // The nodes migrate before they answer /health; make sure the table is there.
    if ((await httpGet(`${cluster.nodes[0]!.url}/health`, undefined, 2000)).status !== 200) throw new Error('node not healthy');
    ctx.progress.step('history: idle CPU of the nodes');
    const idle = await cluster.idleNodeCpu(ctx.mode === 'smoke' ? 0.5 : 2);
    const r = await reads(ctx, cluster, pg, s);
    const w = await writer(ctx, cluster, pg, s, idle);
    return { nodes, idleNodeCpu: idle, reads: r, writer: w };
  } finally {
    await pg.end();
    await cluster.stop();
  }
}
