/** The capacity and soak part of the report: summary rows, sections and charts. */
import type { DeliveryCounts } from '../../testkit/delivery-checker';
import type { CapacityResult, CapacityStep } from '../scenarios/capacity';
import type { SoakResult } from '../scenarios/soak';
import { count, ms, table } from './markdown';
import type { Chart, TargetRow } from './report-types';
import { barChart, lineChart } from './svg';

const cores = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '–');
const label = (nodes: number, s: CapacityStep): string => `${count(s.target)} @ ${nodes}n`;

/** "N per pinned node core, " when the run was pinned. */
function pinnedText(run: CapacityResult['runs'][number]): string {
  return run.pinning?.pinned ? `${count(run.perPinnedCore ?? 0)} per pinned node core, ` : '';
}

export function capacityTargets(c: CapacityResult): TargetRow[] {
  return c.runs.map((run) => {
    const last = run.steps.at(-1);
    const held = run.steps.find((s) => s.target === run.largestHeld);
    return {
      scenario: 'capacity',
      target: `${run.nodes} node${run.nodes > 1 ? 's' : ''}: largest step holding pairing wait p99 ≤ ${c.slo.waitP99Ms} ms, one-way p99 ≤ ${c.slo.oneWayP99Ms} ms, lag p99 ≤ ${c.slo.lagP99Ms} ms, 0 violations`,
      measured:
        `${count(run.largestHeld)} users (${count(run.perNode)} per node, ${pinnedText(run)}${count(run.perNodeCore)} per node core used${held ? `, nodes ${cores(held.cpu.nodes)} cores, load generator ${cores(held.cpu.generator)}` : ''})` +
        (last && !last.held ? `; ${count(last.target)} broke: ${last.broke.join(', ')}` : '; no step broke'),
      met: null,
    };
  });
}

export function soakTargets(s: SoakResult): TargetRow[] {
  const sl = s.slopePerHour;
  return [
    {
      scenario: 'soak',
      target: `${count(s.users)} users for ${s.minutes} min: flat memory (second-half slope), 0 violations`,
      measured: `per hour: node RSS ${sl.rssMiB} MiB, heap ${sl.heapMiB} MiB, Redis ${sl.redisUsedMiB} MiB / ${sl.redisKeys} keys, PostgreSQL ${sl.pgSizeMiB} MiB; ${s.violations} violations`,
      met: s.violations === 0 ? null : false,
    },
  ];
}

/** The model in words, with the values of the run (`--workload key=value,…` changes them). */
export function workloadModelText(m: CapacityResult['model']): string[] {
  return [
    '### Workload model',
    '',
    'Simulated users (`bench/workload/`) run in load processes of their own (`bench/workload/user-worker.ts`, one per ' +
      '`--load-processes`), each from its own loopback source address, so the generator\'s CPU is measured apart from the nodes\'. ' +
      'A process keeps its share of the step\'s users alive: a user who leaves is replaced by a new arrival (a new identity), ' +
      `and a step's new users arrive at ${m.rampPerS} per second per process. Each user picks a role:`,
    '',
    `- **Stranger chat** (the rest): stays on the site ${m.sessionS} s on average (exponential). ${Math.round(m.interestShare * 100)} % search with ` +
      `1–3 interests out of ${m.interestPool}, the others without. A chat lasts a geometric number of messages per user (mean ${m.chatMessages}), ` +
      `with an exponential think time (mean ${m.thinkS} s) before each, ${Math.round(m.typingShare * 100)} % of them preceded by \`typing\`. ` +
      `The user then skips (\`next-match\`, ${Math.round(m.skipShare * 100)} %) or leaves the chat, pauses about 2 s and searches again; the partner ` +
      'sees `partner-disconnected` and searches again too. While chatting, a user goes to the background ' +
      `${m.blipsPerMin} times a minute (disconnects, comes back after 0.5–${m.blipMaxS} s with its token and the chat's \`lastSeq\` and ` +
      `\`epoch\`, expects \`resumed\` with what it missed, sends again with its \`clientId\` what was left unacknowledged) and reloads the page ` +
      `${m.reloadsPerMin} times a minute (reconnects at once with its token only; the whole log comes in \`resumed.missed\` and what the user ` +
      'already holds is dropped by seq). A search unanswered for 30 s is cancelled and started again. A user whose session ends mid-chat just closes the tab.',
    `- **Topic rooms** (${Math.round(m.roomShare * 100)} %): joins one of 40 public rooms, sends a room message every ${m.roomThinkS} s on average, ` +
      'leaves after its session.',
    `- **Direct messages** (${Math.round(m.dmShare * 100)} %): stays online for the whole step with ${m.dmContacts} contacts (seeded in PostgreSQL ` +
      `as the dm scenario does, a ring per batch of arrivals) and writes a DM to a random contact every ${m.dmThinkS} s on average.`,
    '',
    'Every number above is a parameter: `--workload key=value,…` with the keys ' +
      `${Object.keys(m).map((k) => `\`${k}\``).join(', ')} (\`npm run bench -- --help\` lists their defaults); ` +
      '`--steps`, `--step-seconds`, `--load-processes`, `--minutes`, `--users` and `--capacity-from` set the ramp and the soak.',
    '',
    'Every user keeps the stream contract on its chat, room and DM streams (`testkit/chat-stream.ts`, `testkit/stream-keeper.ts`): ' +
      'sends carry a `clientId`, messages are handed on in `seq` order and a seq already held is dropped, a seq jump asks `sync` for the ' +
      'hole, and a chat that ended (or a room left) is closed with a last read of what the stream stored, so the user is owed exactly that. ' +
      'A chat\'s closing read goes to Redis straight from the load process (`bench/workload/chat-log-reader.ts`, the same `missedSince` ' +
      'a `sync` answers with): a web client sends no `sync` when a chat ends, so the nodes do not serve one; a room\'s is a `sync`. ' +
      'What every user checks, joined across processes by the bench (`bench/workload/ledger.ts`): no room announced to more than ' +
      'two users and no `matched` inside a chat (double match); the delivery checker (`testkit/delivery-checker.ts`) over every ' +
      'stream: every acknowledged message kept once and in seq order by every recipient it is owed to (lost, duplicated, out of order), ' +
      'every `clientId` stored once; a user that closed the tab mid-chat and never came back is owed only what the chat held when it ' +
      'left (counted as not owed, not as lost); no two users both eligible and waiting longer than ' +
      '`RANDOM_FALLBACK_MS` + 3 s at the same moment who never chatted together (pair left waiting).',
    '',
    '### Reading the results',
    '',
    '- *Pairing wait* is measured per pair: from the moment the two users could be paired with each other (both searching, both ' +
      'out of their cooldown, and past `RANDOM_FALLBACK_MS` when they share no interest and one has some) until the later of ' +
      'the two heard `matched`. It is the matchmaker\'s reaction time. *Search→matched* also counts the time spent waiting ' +
      'for a suitable partner to arrive, which grows when there are *fewer* users; it is shown, not judged.',
    '- *One-way* is the sender\'s emit to the partner\'s `message` event (one machine clock), for one-to-one chat; DM and room ' +
      'one-way are shown, not judged.',
    '- *Nodes CPU* is in cores over the window, for all nodes together; *per node core used* is the step\'s users divided by it. ' +
      '*Per pinned node core* is the largest step held divided by the cores the nodes were pinned to (taskset; the load generator, ' +
      'Redis and PostgreSQL on the other cores): the nodes could use no more, so it is the figure to carry to other hardware. ' +
      '*Others* is the busy time of the machine not spent by parley, Redis, PostgreSQL or the load generator — other work ' +
      'sharing the cores. When *others* is large, latencies and lag are those of a starved machine: compare the runs of the ' +
      'same report, not runs of different days.',
    '- A step that breaks says which limit; the ramp stops there. The largest step that held is the capacity of this machine ' +
      'with the load generator on it.',
    '',
  ];
}

export function capacitySection(c: CapacityResult, chart: Chart): string[] {
  const m = c.model;
  const steps = c.runs.flatMap((r) => r.steps.map((s) => ({ nodes: r.nodes, s })));
  const out = [
    '## capacity',
    '',
    `The workload model (see *Workload model* below) at growing numbers of concurrent users, on ${c.runs.map((r) => `${r.nodes} node${r.nodes > 1 ? 's' : ''}`).join(' and on ')}, each on ` +
      `Redis and PostgreSQL. Each step ramps at ${m.rampPerS} arrivals/s per load process (${c.processes} process${c.processes > 1 ? 'es' : ''}), then measures ` +
      `${c.stepSeconds} s. A step holds when pairs were formed within ${c.slo.waitP99Ms} ms of both users becoming pairable (p99, see ` +
      `*Reading the results*), chat messages arrived within ${c.slo.oneWayP99Ms} ms (p99, sender's emit to partner's event), every node's ` +
      `event-loop delay p99 (prom-client, from /metrics every 2 s) stayed within ${c.slo.lagP99Ms} ms, and no invariant was violated. ` +
      'The ramp stops at the first step that breaks. CPU is in cores (CPU seconds per second); the load generator is this process and its load processes.',
    '',
    ...c.runs.map((r) => `- ${r.nodes} node${r.nodes > 1 ? 's' : ''}: ${r.pinning?.note ?? 'not pinned'}.`),
    '',
    ...workloadModelText(m),
    '### Steps',
    '',
    table(
      ['step', 'users', 'held', 'wait p50/p99', 'search→matched p99', 'one-way p50/p99', 'DM p99', 'room p99', 'lag p99', 'nodes CPU', 'node µs per user-min', 'Redis CPU', 'PG CPU', 'generator CPU', 'others', 'load avg', 'RSS', 'Redis mem / keys', 'Redis cmd/s', 'Redis cmd per user-min', 'PG size / commits/s', 'violations'],
      steps.map(({ nodes, s }) => [
        label(nodes, s), count(s.users), s.held ? 'yes' : `**no**: ${s.broke.join(', ')}`,
        `${ms(s.waitMs.p50)} / ${ms(s.waitMs.p99)}`, ms(s.searchWaitMs.p99), `${ms(s.oneWayMs.p50)} / ${ms(s.oneWayMs.p99)}`,
        ms(s.dmOneWayMs.p99), ms(s.roomOneWayMs.p99), ms(s.lagP99Ms),
        cores(s.cpu.nodes), s.users > 0 ? count(Math.round((s.cpu.nodes * 60e6) / s.users)) : '–', cores(s.cpu.redis), cores(s.cpu.postgres), cores(s.cpu.generator), cores(s.cpu.others), s.loadAvg1 ?? '–',
        `${s.rssMiB} MiB`, `${s.stores.redisUsedMiB.toFixed(1)} MiB / ${count(s.stores.redisKeys)}`, count(s.redisCommandsPerS), s.redisPerUserMinute ? s.redisPerUserMinute.all.toFixed(1) : '–',
        `${s.stores.pgSizeMiB.toFixed(1)} MiB / ${s.pgCommitsPerS}`, s.violations,
      ]),
    ),
    '',
    table(
      ['nodes', 'largest step held', 'per node', 'per pinned node core', 'per node core used', 'violation examples'],
      c.runs.map((r) => [r.nodes, count(r.largestHeld), count(r.perNode), r.pinning?.pinned ? count(r.perPinnedCore ?? 0) : 'not pinned', count(r.perNodeCore), r.violationExamples.slice(0, 3).join('; ') || '–']),
    ),
    '',
    'What the users did in each step (counts in the measured window):',
    '',
    table(
      ['step', 'arrivals', 'searches', 'pairs', 'messages', 'skips', 'leaves', 'blips', 'reloads', 'resumes', 'room msgs', 'DMs', 'gave up a search', 'errors'],
      steps.map(({ nodes, s }) => {
        const t = s.tally;
        return [label(nodes, s), t.arrivals, t.searches, t.pairs, t.messages, t.skips, t.leaves, t.blips, t.reloads, t.resumes, t.roomMessages, t.dms, t.searchTimeouts,
          Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(', ') || '–'];
      }),
    ),
    '',
    ...redisCommandsText(steps),
  ];
  const groups = steps.map(({ nodes, s }) => label(nodes, s));
  const series = (name: string, f: (s: CapacityStep) => number) => ({ name, values: steps.map(({ s }) => f(s)) });
  out.push(
    chart('capacity-latency.svg', barChart({ title: 'capacity: p99 per step', unit: 'ms', groups, series: [series('pairing wait', (s) => s.waitMs.p99), series('one-way', (s) => s.oneWayMs.p99), series('event-loop lag', (s) => s.lagP99Ms)] })),
    '',
    chart('capacity-cpu.svg', barChart({ title: 'capacity: CPU per step', unit: 'cores', groups, series: [series('nodes', (s) => s.cpu.nodes), series('Redis', (s) => s.cpu.redis), series('PostgreSQL', (s) => s.cpu.postgres), series('load generator', (s) => s.cpu.generator)] })),
    '',
    chart('capacity-memory.svg', barChart({ title: 'capacity: memory per step', unit: 'MiB', groups, series: [series('nodes RSS', (s) => s.rssMiB), series('Redis used', (s) => s.stores.redisUsedMiB), series('PostgreSQL size', (s) => s.stores.pgSizeMiB)] })),
    '',
    chart('capacity-stores.svg', barChart({ title: 'capacity: store load per step', unit: 'per second', groups, series: [series('Redis commands', (s) => s.redisCommandsPerS), series('PostgreSQL commits', (s) => s.pgCommitsPerS)] })),
    '',
  );
  return out;
}

/** Redis commands per user-minute by command, for the largest step of each node count that carried them. */
function redisCommandsText(steps: { nodes: number; s: CapacityStep }[]): string[] {
  const shown = steps.filter(({ s }) => s.redisPerUserMinute && s.users > 0);
  if (shown.length === 0) return [];
  const top = new Map<string, number>();
  for (const { s } of shown) for (const [name, n] of s.redisPerUserMinute!.byCommand) top.set(name, Math.max(top.get(name) ?? 0, n));
  const names = [...top.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name]) => name);
  return [
    'Redis commands per user per minute: *all* is every command Redis ran (`total_commands_processed`, which counts the commands run inside Lua scripts too; `evalsha` is the script calls themselves); the others are ' +
      '`INFO commandstats` calls by command, commands run inside scripts included:',
    '',
    table(
      ['step', 'all', ...names],
      shown.map(({ nodes, s }) => {
        const by = new Map(s.redisPerUserMinute!.byCommand);
        return [label(nodes, s), s.redisPerUserMinute!.all.toFixed(1), ...names.map((n) => (by.get(n) ?? 0).toFixed(1))];
      }),
    ),
    '',
  ];
}

export function soakSection(s: SoakResult, chart: Chart): string[] {
  const sl = s.slopePerHour;
  const first = s.samples[0];
  const last = s.samples.at(-1);
  const step = Math.max(1, Math.ceil(s.samples.length / 16));
  const pts = s.samples.filter((_, i) => i % step === 0 || i === s.samples.length - 1);
  const groups = pts.map((p) => `${Math.round(p.t)} s`);
  const out = [
    '## soak',
    '',
    `The workload model on 1 node (Redis and PostgreSQL) at ${count(s.users)} users (${s.usersFrom}) for ${s.minutes} min. ` +
      'Sampled after the ramp: the node\'s RSS and V8 heap used (/metrics), Redis `used_memory` and key count, the PostgreSQL ' +
      'database size. Slopes are least-squares fits over the second half, per hour; the goal is flat (keys and rows expire as ' +
      'documented, nothing grows with time at a steady load).',
    '',
    table(
      ['figure', 'first sample', 'last sample', 'slope over the second half, per hour'],
      [
        ['node RSS', `${first?.rssMiB ?? '–'} MiB`, `${last?.rssMiB ?? '–'} MiB`, `${sl.rssMiB} MiB`],
        ['node heap used', `${first?.heapMiB ?? '–'} MiB`, `${last?.heapMiB ?? '–'} MiB`, `${sl.heapMiB} MiB`],
        ['Redis used_memory', `${first?.redisUsedMiB ?? '–'} MiB`, `${last?.redisUsedMiB ?? '–'} MiB`, `${sl.redisUsedMiB} MiB`],
        ['Redis keys', count(first?.redisKeys), count(last?.redisKeys), `${sl.redisKeys}`],
        ['PostgreSQL size', `${first?.pgSizeMiB ?? '–'} MiB`, `${last?.pgSizeMiB ?? '–'} MiB`, `${sl.pgSizeMiB} MiB`],
      ],
    ),
    '',
    'Redis keys at the end by shape (the most numerous; *with TTL*: how many of them expire by themselves):',
    '',
    table(['key shape', 'keys', 'with TTL'], s.keyShapes.map((k) => [`\`${k.shape}\``, count(k.keys), count(k.withTtl)])),
    '',
    `Over the whole soak: pairing wait p99 ${ms(s.waitMs.p99)} (p50 ${ms(s.waitMs.p50)}), one-way p99 ${ms(s.oneWayMs.p99)}, ` +
      `highest lag p99 of a sample ${ms(Math.max(...s.samples.map((x) => x.lagP99Ms)))}; ${s.tally.pairs ?? 0} pairs, ${s.tally.messages ?? 0} messages, ` +
      `${s.tally.blips ?? 0} blips, ${s.tally.reloads ?? 0} reloads; ${s.violations} invariant violations` +
      `${s.violationExamples.length ? ` (${s.violationExamples.slice(0, 3).join('; ')})` : ''}.`,
    '',
    ...(s.delivery ? [`Delivery (chats, rooms and DMs; the checker of \`testkit/delivery-checker.ts\`): ${s.tally.resumes ?? 0} resumes; ${deliveryLine(s.delivery)}.`, ''] : []),
  ];
  if (pts.length > 1) {
    out.push(
      chart('soak-memory.svg', lineChart({ title: 'soak: memory over time', unit: 'MiB', groups, series: [
        { name: 'node RSS', values: pts.map((p) => p.rssMiB) },
        { name: 'node heap', values: pts.map((p) => p.heapMiB) },
        { name: 'Redis used', values: pts.map((p) => p.redisUsedMiB) },
        { name: 'PostgreSQL size', values: pts.map((p) => p.pgSizeMiB) },
      ] })),
      '',
      chart('soak-keys.svg', lineChart({ title: 'soak: Redis keys over time', unit: 'keys', groups, series: [{ name: 'Redis keys', values: pts.map((p) => p.redisKeys) }] })),
      '',
    );
  }
  return out;
}

/** The delivery checker's counts in one sentence. */
export function deliveryLine(d: DeliveryCounts): string {
  const how = Object.entries(d.delivered).map(([k, v]) => `${count(v)} ${k}`).join(', ');
  const notOwed = Object.entries(d.notOwed).map(([k, v]) => `${count(v)} ${k}`).join(', ') || 'none';
  return `${count(d.acked)} messages acknowledged (${count(d.retries)} retries with a clientId), ${count(d.owed)} deliveries owed: ${how}; ` +
    `${d.lost} lost, ${d.duplicated} duplicated, ${d.outOfOrder} out of order, ${d.clientIdStoredTwice} clientIds stored twice; ` +
    `${count(Object.values(d.rawDuplicates).reduce((x, y) => x + y, 0))} copies dropped by the clients as seqs they held; not owed: ${notOwed}`;
}
