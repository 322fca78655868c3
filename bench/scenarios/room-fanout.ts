/**
 * room-fanout: topic-room messages delivered to every other member.
 *  - one big room: M members spread round-robin over 3 nodes, R msg/s in
 *    total, each from a random member;
 *  - many rooms: K rooms × m members, r msg/s per room, same checks.
 * One-way latency runs from the sender's emit to each receiver's
 * `room-message` (one process, one clock). Per receiver: every acked message
 * of its room from someone else must arrive once (lost, duplicated) and in
 * seq order (reordered: a seq below one already received).
 */
import { performance } from 'node:perf_hooks';
import { closeAll, connect, pool, request, type Client } from '../lib/clients';
import type { BenchContext } from '../lib/context';
import { paced, Rejections } from '../lib/paced';
import { sleep } from '../lib/procs';
import type { CpuShare } from '../lib/cpu-meter';
import { startRoomsCluster, type RoomsCluster } from '../lib/rooms-cluster';
import { round, summarize, type Summary } from '../lib/stats';

export interface FanoutRun {
  label: string;
  rooms: number;
  membersPerRoom: number;
  nodes: number;
  /** Messages per second offered in total. */
  ratePerSecond: number;
  seconds: number;
  sent: number;
  acked: number;
  rejected: number;
  /** Rejections by error code (`timeout`: no ack within 10 s). */
  rejectedBy?: Record<string, number>;
  /** Deliveries the acked messages owed (members − 1 each). */
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Receivers that saw at least one seq out of order. */
  receiversReordered: number;
  oneWayMs: Summary;
  ackMs: Summary;
  /** Time to connect and join every member (presence traffic included). */
  setupS: number;
  /** CPU by process group from the first send to the end of the drain. */
  cpu?: CpuShare;
  /** Node CPU (all nodes) per acked message, µs, less the nodes' idle CPU over the same time. */
  nodeCpuUsPerMessage?: number;
}

export interface RoomFanoutResult {
  nodes: number;
  /** CPU seconds per second all nodes spent idle, before any member connected. */
  idleNodeCpu?: number;
  runs: FanoutRun[];
}

interface Member {
  client: Client;
  room: number;
  /** Seqs received, for duplicates and losses. */
  seen: Set<number>;
  maxSeq: number;
  duplicated: number;
  reordered: number;
}

interface Shape {
  label: string;
  rooms: number;
  members: number;
  ratePerRoom: number;
}

const PADDING = 'x'.repeat(48);
const ACK_TIMEOUT_MS = 10_000;

function shapes(mode: BenchContext['mode']): Shape[] {
  if (mode === 'smoke') {
    return [
      { label: 'one room', rooms: 1, members: 30, ratePerRoom: 20 },
      { label: 'many rooms', rooms: 10, members: 5, ratePerRoom: 2 },
    ];
  }
  return [
    { label: 'one room', rooms: 1, members: 200, ratePerRoom: 20 },
    { label: 'many rooms', rooms: 100, members: 20, ratePerRoom: 2 },
  ];
}

/** Resolves once no presence event arrived for `quietMs` (joins settled), or after `maxMs`. */
async function settle(lastEvent: () => number, quietMs: number, maxMs: number): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() - lastEvent() < quietMs && performance.now() < deadline) await sleep(50);
}

/** Counts one refusal under its error code. */
/** µs of node CPU per message, net of what the nodes spend idle. */
export function netCpuPerMessage(cpu: CpuShare, idlePerS: number, messages: number): number {
  return messages ? round((Math.max(0, cpu.nodesS - idlePerS * cpu.wallS) * 1e6) / messages, 0) : NaN;
}

async function runShape(ctx: BenchContext, cluster: RoomsCluster, shape: Shape, idle: number): Promise<FanoutRun> {
  const urls = cluster.nodes.map((n) => n.url);
  const total = shape.rooms * shape.members;
  const t0 = performance.now();
  let lastPresence = performance.now();
  let measuring = false;
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  const members: Member[] = [];
  const codes: string[] = [];

  ctx.progress.step(`room-fanout ${shape.label}: connecting ${total} members over ${urls.length} nodes`);
  const clients = await pool(total, 50, (i) => connect(urls[i % urls.length]!), (done) => ctx.progress.update(`${done}/${total}`));
  try {
    for (const [i, client] of clients.entries()) {
      const member: Member = { client, room: Math.floor(i / shape.members), seen: new Set(), maxSeq: 0, duplicated: 0, reordered: 0 };
      members.push(member);
      client.on('room-presence', () => (lastPresence = performance.now()));
      client.on('room-message', (ev: { seq: number; text: string }) => {
        if (!measuring) return;
        const now = performance.now();
        const sentAt = Number(ev.text.slice(1, ev.text.indexOf(' ')));
        if (Number.isFinite(sentAt)) latencies.push(now - sentAt);
        if (member.seen.has(ev.seq)) member.duplicated++;
        else member.seen.add(ev.seq);
        if (ev.seq < member.maxSeq) member.reordered++;
        else member.maxSeq = ev.seq;
      });
    }

    ctx.progress.step(`room-fanout ${shape.label}: ${shape.rooms} room(s) × ${shape.members} members joining`);
    for (let r = 0; r < shape.rooms; r++) {
      const reply = await request<{ ok: boolean; room?: { code: string } }>(members[r * shape.members]!.client, 'room-create', { title: `bench ${r}`, visibility: 'private' });
      if (!reply.ok || !reply.room) throw new Error(`room-create refused: ${JSON.stringify(reply)}`);
      codes.push(reply.room.code);
    }
    const joiners = members.filter((_, i) => i % shape.members !== 0);
    await pool(joiners.length, 10, async (i) => {
      const m = joiners[i]!;
      const reply = await request(m.client, 'room-join', { code: codes[m.room]! });
      if (!reply.ok) throw new Error(`room-join refused: ${JSON.stringify(reply)}`);
    }, (done) => ctx.progress.update(`${done}/${joiners.length} joined`));
    await settle(() => lastPresence, 500, 30_000);
    const setupS = (performance.now() - t0) / 1000;

    // Fixed rate, spread evenly in time: message k goes to room k mod K, from a random member.
    const rate = shape.rooms * shape.ratePerRoom;
    const target = Math.round(rate * ctx.seconds);
    const acked: { room: number; seq: number; from: Member }[] = [];
    const rejections = new Rejections();
    const endCpu = cluster.meter();
    ctx.progress.step(`room-fanout ${shape.label}: ${rate} msg/s for ${ctx.seconds} s`);
    measuring = true;
    const { settled } = await paced(ctx, rate, target, (n) => {
      const room = n % shape.rooms;
      const from = members[room * shape.members + Math.floor(Math.random() * shape.members)]!;
      const sentAt = performance.now();
      const reply = request<{ ok: boolean; message?: { seq: number } }>(from.client, 'room-message', { code: codes[room]!, text: `t${sentAt.toFixed(3)} ${PADDING}` }, ACK_TIMEOUT_MS);
      return rejections.track(reply, ({ message }) => {
        if (!message) return false;
        ackLatencies.push(performance.now() - sentAt);
        acked.push({ room, seq: message.seq, from });
        return true;
      });
    });
    await settled;

    // Drain: wait until every owed delivery arrived, or 3 s without progress.
    const expected = acked.length * (shape.members - 1);
    const delivered = (): number => members.reduce((a, m) => a + m.seen.size, 0);
    let last = -1;
    let stillSince = performance.now();
    while (delivered() < expected && performance.now() - stillSince < 3000) {
      const d = delivered();
      if (d !== last) {
        last = d;
        stillSince = performance.now();
      }
      await sleep(50);
    }
    measuring = false;
    const cpu = endCpu();

    let lost = 0;
    for (const a of acked) {
      for (let i = a.room * shape.members; i < (a.room + 1) * shape.members; i++) {
        const m = members[i]!;
        if (m !== a.from && !m.seen.has(a.seq)) lost++;
      }
    }
    return {
      label: shape.label,
      rooms: shape.rooms,
      membersPerRoom: shape.members,
      nodes: urls.length,
      ratePerSecond: rate,
      seconds: ctx.seconds,
      sent: target,
      acked: acked.length,
      rejected: rejections.count,
      rejectedBy: rejections.by,
      expected,
      delivered: delivered(),
      lost,
      duplicated: members.reduce((a, m) => a + m.duplicated, 0),
      reordered: members.reduce((a, m) => a + m.reordered, 0),
      receiversReordered: members.filter((m) => m.reordered > 0).length,
      oneWayMs: summarize(latencies),
      ackMs: summarize(ackLatencies),
      setupS: Math.round(setupS * 10) / 10,
      cpu,
      nodeCpuUsPerMessage: netCpuPerMessage(cpu, idle, acked.length),
    };
  } finally {
    closeAll(clients);
  }
}

export async function roomFanout(ctx: BenchContext): Promise<RoomFanoutResult> {
  const nodes = 3;
  ctx.progress.step(`room-fanout: starting PostgreSQL, Redis and ${nodes} nodes`);
  const cluster = await startRoomsCluster(ctx, nodes);
  const runs: FanoutRun[] = [];
  let idle = 0;
  try {
    ctx.progress.step('room-fanout: idle CPU of the nodes');
    idle = await cluster.idleNodeCpu(ctx.mode === 'smoke' ? 0.5 : 2);
    for (const shape of shapes(ctx.mode)) {
      runs.push(await runShape(ctx, cluster, shape, idle));
      await sleep(ctx.mode === 'smoke' ? 200 : 1000);
    }
  } finally {
    await cluster.stop();
  }
  return { nodes, idleNodeCpu: idle, runs };
}
