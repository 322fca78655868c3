/** The topic-room parts of the report (room-fanout, history): summary rows and sections. */
import type { HistoryResult } from '../scenarios/history';
import type { RoomFanoutResult } from '../scenarios/room-fanout';
import type { CpuShare } from './cpu-meter';
import { count, ms, table } from './markdown';
import type { Chart, TargetRow } from './report-types';
import { barChart } from './svg';

/** room-fanout target: one-way p99 within this, nothing lost, duplicated or out of seq order. */
export const FANOUT_P99_MS = 50;
/** history target: a page at a random depth within this (p99). */
export const HISTORY_READ_P99_MS = 20;
/** history target: ack → row in PostgreSQL within this (p99). */
export const ARCHIVE_LAG_P99_MS = 1000;

const LOAD_NOTE =
  'Nodes run with `ROOM_MESSAGE_RATE_LIMIT` and `ROOM_CREATE_RATE_LIMIT` raised to 1,000,000 (and, as in every scenario, ' +
  '`MAX_CONNECTIONS_PER_IP`, `HANDSHAKE_RATE_LIMIT`, `MESSAGE_RATE_LIMIT`, `MATCH_RATE_LIMIT`): the load generator is one ' +
  'process on one address speaking for every member. `ROOMS_PER_USER` stays at 5 (each bench user sits in one room). ' +
  'The load generator runs on the same 2 cores as the nodes, Redis and PostgreSQL.';

const CPU_NOTE =
  'CPU seconds by process group over the timed phase, from `/proc/<pid>/stat` (PostgreSQL: the postmaster and its backends) and `/proc/stat` ' +
  '(others: busy time of the whole machine minus the groups listed, i.e. other work sharing the cores). Available = cores × wall time. ' +
  'Node CPU per message is all nodes\' CPU over the phase less their idle CPU (measured for 2 s before the load: heartbeats, reaper, archiver polls) over the same time, ÷ acked messages: ' +
  'the product\'s own cost, which moves little with contention, whereas latencies move a lot when others take the cores.';

function cpuTable(rows: [string, CpuShare | undefined, number | undefined][], idle: number | undefined): string[] {
  const measured = rows.filter((r): r is [string, CpuShare, number | undefined] => r[1] !== undefined);
  if (measured.length === 0) return [];
  return [
    table(
      ['phase', 'wall', 'available', 'nodes', 'Redis', 'PostgreSQL', 'load generator', 'others on the machine', 'load avg (1 min)', 'node CPU / message'],
      measured.map(([label, c, us]) => [label, `${c.wallS} s`, `${c.machineS} s`, `${c.nodesS} s`, `${c.redisS} s`, `${c.postgresS} s`, `${c.generatorS} s`, `${c.othersS} s`, c.loadAvg1, us === undefined || !Number.isFinite(us) ? '–' : `${count(us)} µs`]),
    ),
    '',
    `${CPU_NOTE}${idle === undefined ? '' : ` Idle nodes here: ${idle} CPU s/s in all.`}`,
    '',
  ];
}

const rejections = (by: Record<string, number> | undefined): string =>
  by && Object.keys(by).length ? ` (${Object.entries(by).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';

export function roomFanoutTargets(rf: RoomFanoutResult): TargetRow[] {
  return rf.runs.map((x) => ({
    scenario: 'room-fanout',
    target: `${x.rooms} room${x.rooms > 1 ? 's' : ''} × ${x.membersPerRoom} members on ${x.nodes} nodes, ${x.ratePerSecond} msg/s: p99 one-way ≤ ${FANOUT_P99_MS} ms, 0 lost/dup/reordered`,
    measured: `p99 ${ms(x.oneWayMs.p99)} (p50 ${ms(x.oneWayMs.p50)}); ${x.lost}/${x.duplicated}/${x.reordered} of ${count(x.expected)} deliveries${x.rejected ? `; ${x.rejected} rejected${rejections(x.rejectedBy)}` : ''}`,
    met: x.oneWayMs.p99 <= FANOUT_P99_MS && x.lost === 0 && x.duplicated === 0 && x.reordered === 0 && x.rejected === 0,
  }));
}

export function historyTargets(h: HistoryResult): TargetRow[] {
  const r = h.reads;
  const w = h.writer;
  return [
    {
      scenario: 'history',
      target: `GET …/messages?before=&limit=50 at random depths of ${count(r.messages)} messages: p99 ≤ ${HISTORY_READ_P99_MS} ms, every page right`,
      measured: `p99 ${ms(r.all.p99)} (p50 ${ms(r.all.p50)}); PostgreSQL pages p99 ${ms(r.archive.p99)}, window pages p99 ${ms(r.window.p99)}; ${r.errors} errors, ${r.wrong} wrong`,
      met: r.all.p99 <= HISTORY_READ_P99_MS && r.errors === 0 && r.wrong === 0,
    },
    {
      scenario: 'history',
      target: `${count(w.offeredPerS)} msg/s over ${w.rooms} rooms: ack → row in PostgreSQL p99 ≤ ${ARCHIVE_LAG_P99_MS / 1000} s, all archived`,
      measured: `lag p99 ${ms(w.lagMs.p99)} (p50 ${ms(w.lagMs.p50)}); acked ${count(w.ackedPerS)}/s, archived ${count(w.archivedPerS)}/s; ${w.unarchived} unarchived${w.rejected ? `, ${w.rejected} rejected${rejections(w.rejectedBy)}` : ''}`,
      met: w.lagMs.p99 <= ARCHIVE_LAG_P99_MS && w.unarchived === 0 && w.rejected === 0,
    },
  ];
}

export function roomFanoutSection(rf: RoomFanoutResult, chart: Chart): string[] {
  return [
    '## room-fanout',
    '',
    `${rf.nodes} nodes with \`REDIS_URL\` and \`DATABASE_URL\` (a throwaway PostgreSQL), so every message also goes through the room log and the archiver, as in production. ` +
      'Members connect round-robin over the nodes (WebSocket transport); the first member of each room creates it (private), the others join; the run starts once no `room-presence` arrived for 0.5 s. ' +
      'Then messages are sent at a fixed rate spread evenly in time, message k to room k mod K, each from a random member of that room. ' +
      'Each message carries its send time (one process, one clock): one-way latency runs from the emit to each other member\'s `room-message`. ' +
      'Per receiver, every acked message of its room sent by someone else must arrive once (lost, dup) and in `seq` order (reordered: a `seq` lower than one it already received). ' +
      'Delivery is drained until everything owed arrived or 3 s pass without progress. In "many rooms" the rate is 2 msg/s per room (200 msg/s in all).',
    '',
    LOAD_NOTE,
    '',
    table(
      ['shape', 'rate', 's', 'sent', 'acked', 'rejected', 'deliveries owed', 'lost', 'dup', 'reordered (receivers)', 'one-way p50', 'p95', 'p99', 'max', 'ack p99', 'setup'],
      rf.runs.map((x) => [
        `${x.rooms} × ${x.membersPerRoom}`,
        `${x.ratePerSecond} msg/s`,
        x.seconds,
        x.sent,
        x.acked,
        x.rejected,
        count(x.expected),
        x.lost,
        x.duplicated,
        `${x.reordered} (${x.receiversReordered})`,
        ms(x.oneWayMs.p50),
        ms(x.oneWayMs.p95),
        ms(x.oneWayMs.p99),
        ms(x.oneWayMs.max),
        ms(x.ackMs.p99),
        `${x.setupS} s`,
      ]),
    ),
    '',
    ...cpuTable(rf.runs.map((x) => [`${x.rooms} × ${x.membersPerRoom}, ${x.ratePerSecond} msg/s`, x.cpu, x.nodeCpuUsPerMessage]), rf.idleNodeCpu),
    chart(
      'room-fanout-latency.svg',
      barChart({
        title: 'room-fanout: one-way latency, emit → each member',
        unit: 'ms',
        groups: rf.runs.map((x) => `${x.rooms} × ${x.membersPerRoom}, ${x.ratePerSecond}/s`),
        series: (['p50', 'p95', 'p99'] as const).map((k) => ({ name: k, values: rf.runs.map((x) => x.oneWayMs[k]) })),
      }),
    ),
    '',
  ];
}

export function historySection(h: HistoryResult, chart: Chart): string[] {
  const r = h.reads;
  const w = h.writer;
  return [
    '## history',
    '',
    `${h.nodes} nodes with \`REDIS_URL\` and \`DATABASE_URL\`. **Reads**: ${count(r.messages)} messages over ${count(r.rooms)} public rooms (${count(r.messagesPerRoom)} each; public, as a private room's history answers only its members) are written straight into the stores by \`test/helpers/room-seed.ts\` ` +
      '(checked against the real stores by `test/bench/room-seed.test.ts`): the `rooms` and `room_messages` rows with multi-row `INSERT … SELECT … generate_series`, then `ANALYZE`; in Redis each room\'s hash, `seq` counter and its last 500 messages (the recent window), as the room scripts leave them after the oldest messages were archived and trimmed. ' +
      `Then, one request at a time on a keep-alive connection to node 1, \`GET /api/rooms/:code/messages?before=<seq>&limit=50\` for a random room and a random \`before\` in 2 … ${count(r.messagesPerRoom + 1)} (after 50 unrecorded warm-up requests). ` +
      'Pages whose 50 messages all lie in the window are served by Redis; the others reach PostgreSQL. Every page is compared with the seeded messages (seq, id, text, sentAt, hasMore).',
    '',
    table(
      ['pages', 'requests', 'p50', 'p95', 'p99', 'max'],
      [
        ['all', r.all.count, ms(r.all.p50), ms(r.all.p95), ms(r.all.p99), ms(r.all.max)],
        ['Redis window only', r.window.count, ms(r.window.p50), ms(r.window.p95), ms(r.window.p99), ms(r.window.max)],
        ['reaching PostgreSQL', r.archive.count, ms(r.archive.p50), ms(r.archive.p95), ms(r.archive.p99), ms(r.archive.max)],
      ],
    ),
    '',
    `Seeding took ${r.seedS} s. Errors (non-200): ${r.errors}; wrong pages: ${r.wrong}.`,
    '',
    `**Writer**: ${w.senders} clients, two per room in ${w.rooms} rooms (each message reaches the other sender), spread over the nodes, send \`room-message\` at ${count(w.offeredPerS)} msg/s in total for ${w.seconds} s, evenly in time. ` +
      `Every node's archiver reads the Redis stream and writes batches to PostgreSQL. The load generator polls \`room_messages\` every ${w.pollMs} ms on one connection: rows above each room's highest seq found so far (one primary-key range scan per room), and acked seqs below it not found yet (the two archivers' batches commit out of order); ` +
      `lag is from the message's ack (as the sender sees it) to the poll that first returned its row, so it carries up to ${w.pollMs} ms of polling granularity (negative values — row seen before the ack arrived — count as 0).`,
    '',
    LOAD_NOTE,
    '',
    table(
      ['offered', 'sent', 'acked', 'rejected', 'acked / s', 'archived / s', 'unarchived', 'lag p50', 'p95', 'p99', 'max', 'ack p50', 'ack p99'],
      [[`${count(w.offeredPerS)} msg/s`, w.sent, w.acked, `${w.rejected}${rejections(w.rejectedBy)}`, count(w.ackedPerS), count(w.archivedPerS), w.unarchived, ms(w.lagMs.p50), ms(w.lagMs.p95), ms(w.lagMs.p99), ms(w.lagMs.max), ms(w.ackMs.p50), ms(w.ackMs.p99)]],
    ),
    '',
    ...cpuTable([
      ['reads', r.cpu, undefined],
      ['writer', w.cpu, w.nodeCpuUsPerMessage],
    ], h.idleNodeCpu),
    ...(w.pollPostgresS === undefined ? [] : [`Of the writer's PostgreSQL CPU, ${w.pollPostgresS} s is the bench's own polling connection; the rest is the archivers' writes.`, '']),
    chart(
      'history-reads.svg',
      barChart({
        title: 'history: GET messages at random depths',
        unit: 'ms',
        groups: ['all', 'Redis window', 'PostgreSQL'],
        series: (['p50', 'p95', 'p99'] as const).map((k) => ({ name: k, values: [r.all[k], r.window[k], r.archive[k]] })),
      }),
    ),
    '',
  ];
}
