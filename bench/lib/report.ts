/** Turns a results object into the markdown report and its SVG charts. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ms, table } from './markdown';
import type { Results, TargetRow } from './report-types';
import {
  adapterFanInSection,
  adapterFanInTargets,
  redisClusterSection,
  redisClusterTargets,
  shardSpreadSection,
  shardSpreadTargets,
} from './report-cluster';
import { capacitySection, capacityTargets, soakSection, soakTargets } from './report-capacity';
import { deepPoolSection, deepPoolTargets } from './report-deep-pool';
import { dmSection, dmTargets } from './report-dm';
import { phoneLoadSection, phoneLoadTargets } from './report-phone';
import { callSetupSection, callSetupTargets } from './report-call';
import { manyIdleSection, manyIdleTargets } from './report-many-idle';
import { relaySection, relayTargets } from './report-relay';
import { historySection, historyTargets, roomFanoutSection, roomFanoutTargets } from './report-rooms';
import { barChart, lineChart } from './svg';
import { SOCKETS_PER_WORKER } from './workers';

/** Event-loop probe p99 while holding the many idle users (the capacity service level). */
const MANY_IDLE_PROBE_P99_MS = 50;

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function targets(r: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  const pb = r.pairBurst;
  if (pb) {
    const maxN = Math.max(...pb.runs.map((x) => x.seekers));
    const one = pb.runs.find((x) => x.seekers === maxN && x.nodes === 1);
    const many = pb.runs.find((x) => x.seekers === maxN && x.nodes > 1);
    if (one) {
      rows.push({
        scenario: 'pair-burst',
        target: `${maxN} at once on 1 node: 100 % paired, p99 < 1 s`,
        measured: `${(one.pairedShare * 100).toFixed(1)} % paired, p99 ${ms(one.latencyMs.p99)}`,
        met: one.pairedShare === 1 && one.latencyMs.p99 < 1000 && one.integrityErrors === 0,
      });
    }
    if (one && many) {
      const ratio = many.latencyMs.p99 / one.latencyMs.p99;
      rows.push({
        scenario: 'pair-burst',
        target: `${many.nodes} nodes no slower than 1 (p99 ratio ≤ 1.10, noise margin)`,
        measured: `p99 ${ms(many.latencyMs.p99)} vs ${ms(one.latencyMs.p99)} (×${ratio.toFixed(2)}); all paired ${ms(many.allPairedMs)} vs ${ms(one.allPairedMs)}`,
        met: many.pairedShare === 1 && ratio <= 1.1,
      });
    }
  }
  const ps = r.poolScaling;
  if (ps) {
    const first = ps.levels[0]!;
    const last = ps.levels[ps.levels.length - 1]!;
    rows.push({
      scenario: 'pool-scaling',
      target: `p99 at ${last.waiters.toLocaleString('en-US')} waiters ÷ p99 at ${first.waiters} ≤ 1.5`,
      measured: `${ms(last.latencyMs.p99)} ÷ ${ms(first.latencyMs.p99)} = ${ps.p99Ratio}`,
      met: ps.p99Ratio <= 1.5 && last.failed === 0,
    });
  }
  if (r.deepPool) rows.push(...deepPoolTargets(r.deepPool));
  if (r.relay) rows.push(...relayTargets(r.relay));
  const cn = r.connections;
  if (cn) {
    for (const level of cn.parley.levels) {
      rows.push({
        scenario: 'connections',
        target: `≤ 10 KB RSS per idle connection at ${level.connections.toLocaleString('en-US')}`,
        measured: `${level.kibPerConnection} KB (bare Socket.IO: ${cn.baseline.levels.find((b) => b.connections === level.connections)?.kibPerConnection ?? '–'} KB); probe p99 ${ms(level.probeMs.p99)}`,
        met: level.kibPerConnection <= 10,
      });
    }
    const mi = cn.manyIdle;
    const top = mi && cn.parley.levels.find((l) => l.connections === mi.held);
    const topBase = mi && cn.baseline.levels.find((l) => l.connections === mi.held);
    if (mi) {
      rows.push({
        scenario: 'connections',
        target: `${mi.requested.toLocaleString('en-US')} idle connections on 1 node, event-loop probe p99 ≤ ${MANY_IDLE_PROBE_P99_MS} ms`,
        measured: top
          ? `held ${mi.held.toLocaleString('en-US')}${mi.limitedBy ? ` (capped by ${mi.limitedBy})` : ''}: ${top.kibPerConnection} KB RSS each (bare Socket.IO: ${topBase?.kibPerConnection ?? '–'} KB), probe p99 ${ms(top.probeMs.p99)} (bare: ${ms(topBase?.probeMs.p99)})`
          : `not run: ${mi.limitedBy ?? 'no step'}`,
        met: !!top && mi.held >= mi.requested && top.probeMs.p99 <= MANY_IDLE_PROBE_P99_MS,
      });
    }
  }
  if (r.roomFanout) rows.push(...roomFanoutTargets(r.roomFanout));
  if (r.history) rows.push(...historyTargets(r.history));
  if (r.dm) rows.push(...dmTargets(r.dm));
  if (r.shardSpread) rows.push(...shardSpreadTargets(r.shardSpread));
  if (r.adapterFanIn) rows.push(...adapterFanInTargets(r.adapterFanIn));
  if (r.redisCluster) rows.push(...redisClusterTargets(r.redisCluster));
  if (r.capacity) rows.push(...capacityTargets(r.capacity));
  if (r.soak) rows.push(...soakTargets(r.soak));
  if (r.phoneLoad) rows.push(...phoneLoadTargets(r.phoneLoad));
  if (r.callSetup) rows.push(...callSetupTargets(r.callSetup));
  if (r.manyIdle) rows.push(...manyIdleTargets(r.manyIdle));
  return rows;
}

const mark = (met: boolean | null): string => (met === null ? '–' : met ? 'met' : '**missed**');

export function summaryTable(r: Results): string {
  return table(['scenario', 'target', 'measured', 'result'], targets(r).map((t) => [t.scenario, t.target, t.measured, mark(t.met)]));
}

function tripsLine(per: Record<string, number>): string {
  return Object.entries(per)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** Writes the charts into `dir` and returns the markdown; `imgPrefix` is how the markdown reaches `dir`. */
export function writeReport(r: Results, dir: string, imgPrefix: string): string {
  const out: string[] = [];
  const chart = (name: string, svg: string): string => {
    writeFileSync(path.join(dir, name), svg);
    return `![${name}](${imgPrefix}${name})`;
  };
  out.push('# parley benchmarks', '');
  out.push(`Produced by \`${r.command}\` (mode: ${r.mode}) on ${r.startedAt}, in ${Math.round(r.durationS)} s.`);
  out.push(
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGiB} GiB, Node ${r.machine.node}, redis-server ${r.machine.redis}. ` +
      'Load generator, nodes and Redis share these cores, so ratios measured in the same run (1 node vs 3, parley vs a bare ' +
      'Socket.IO relay, small pool vs large) say more than absolute figures.',
    '',
  );
  out.push('## Summary', '', summaryTable(r), '');

  const pb = r.pairBurst;
  if (pb) {
    out.push('## pair-burst', '');
    out.push('N seekers connect (spread round-robin over the nodes, WebSocket transport), then all send `find-match` without interests in the same tick. Latency is from each emit to that client receiving `matched`.', '');
    out.push(
      table(
        ['seekers', 'nodes', 'paired', 'all paired after', 'p50', 'p95', 'p99', 'max', 'integrity errors', 'Redis cmds / pair*'],
        pb.runs.map((x) => [x.seekers, x.nodes, `${(x.pairedShare * 100).toFixed(1)} %`, ms(x.allPairedMs), ms(x.latencyMs.p50), ms(x.latencyMs.p95), ms(x.latencyMs.p99), ms(x.latencyMs.max), x.integrityErrors, x.redisCommandsPerPair]),
      ),
      '',
      '\\* from `INFO commandstats`, so commands run inside Lua scripts count too. Integrity errors: a user matched twice, or a room not holding exactly two users.',
      '',
    );
    out.push(
      chart(
        'pair-burst-latency.svg',
        barChart({
          title: 'pair-burst: match latency',
          unit: 'ms',
          groups: pb.runs.map((x) => `${x.seekers} on ${x.nodes} node${x.nodes > 1 ? 's' : ''}`),
          series: (['p50', 'p95', 'p99', 'max'] as const).map((k) => ({ name: k, values: pb.runs.map((x) => x.latencyMs[k]) })),
        }),
      ),
      '',
    );
  }

  const ps = r.poolScaling;
  if (ps) {
    out.push('## pool-scaling', '');
    out.push('One node, `RANDOM_FALLBACK_MS` one hour. W waiters each search with an interest of their own, so none suits another or the probes. Then, one trial at a time, two fresh users search with the interest `probe`; latency is from the second one\'s `find-match` until both hold `matched`.', '');
    out.push(
      table(
        ['waiters', 'waiting (/stats)', 'trials', 'failed', 'p50', 'p95', 'p99', 'max'],
        ps.levels.map((l) => [l.waiters.toLocaleString('en-US'), l.waitingReported.toLocaleString('en-US'), l.trials, l.failed, ms(l.latencyMs.p50), ms(l.latencyMs.p95), ms(l.latencyMs.p99), ms(l.latencyMs.max)]),
      ),
      '',
      `p99 ratio largest ÷ smallest pool: **${ps.p99Ratio}** (p50 ratio ${ps.p50Ratio}).`,
      '',
    );
    out.push(
      chart(
        'pool-scaling.svg',
        lineChart({
          title: 'pool-scaling: pairing latency vs waiters already in the pool',
          unit: 'ms',
          groups: ps.levels.map((l) => `${l.waiters.toLocaleString('en-US')} waiters`),
          series: (['p50', 'p95', 'p99'] as const).map((k) => ({ name: k, values: ps.levels.map((l) => l.latencyMs[k]) })),
        }),
      ),
      '',
    );
  }

  if (r.deepPool) out.push(...deepPoolSection(r.deepPool, chart));

  if (r.relay) out.push(...relaySection(r.relay, chart));

  const cn = r.connections;
  if (cn) {
    out.push('## connections', '');
    out.push('Idle WebSocket connections held by forked client processes. Memory: (VmRSS now − VmRSS before any connection) ÷ N, read from `/proc/<pid>/status`. Event-loop lag is probed from outside: round trips of an HTTP request the server answers from memory (parley `GET /api/config`, baseline `GET /health`) on a keep-alive connection, every 10 ms.', '');
    const rows = [cn.parley, cn.baseline].flatMap((run) => [
      [run.server, 0, `${run.idleRssMiB} MiB`, '–', ms(run.idleProbeMs.p50), ms(run.idleProbeMs.p99), ms(run.idleProbeMs.max)],
      ...run.levels.map((l) => [run.server, l.connections.toLocaleString('en-US'), `${l.rssMiB} MiB`, `${l.kibPerConnection} KB`, `${l.afterGc.rssKiB} / ${l.afterGc.heapUsedKiB} / ${l.afterGc.externalKiB} KB`, ms(l.probeMs.p50), ms(l.probeMs.p99), ms(l.probeMs.max)]),
    ]).map((row) => (row.length === 8 ? row : [...row.slice(0, 4), '–', ...row.slice(4)]));
    if (cn.manyIdle?.limitedBy) {
      out.push(
        `Many idle users: ${cn.manyIdle.requested.toLocaleString('en-US')} connections were asked for; this machine allowed ${cn.manyIdle.held.toLocaleString('en-US')}, capped by ${cn.manyIdle.limitedBy}. The bench raises a server's soft limit to what it needs (through \`prlimit\`) whenever the hard limit allows, and spreads the sockets over forked load generators of ${SOCKETS_PER_WORKER.toLocaleString('en-US')} sockets each, each from its own loopback source address (127.0.0.2, .3, …).`,
        '',
      );
    } else if (cn.manyIdle) {
      out.push(
        `Many idle users: ${cn.manyIdle.held.toLocaleString('en-US')} connections, the server's open-file limit raised through \`prlimit\`, spread over forked load generators of ${SOCKETS_PER_WORKER.toLocaleString('en-US')} sockets each, each from its own loopback source address.`,
        '',
      );
    }
    out.push(table(['server', 'connections', 'RSS', 'RSS / connection', 'after forced GC: RSS / heap used / external per connection', 'probe p50', 'probe p99', 'probe max'], rows), '');
    out.push('The forced GC (V8 inspector, `HeapProfiler.collectGarbage`, after the RSS reading) separates live objects from garbage not yet collected.', '');
    out.push(
      `What a connection is made of: on a fresh process of each server (a heap snapshot inflates RSS, so these are taken apart from the readings above), a heap snapshot after opening ${cn.parley.heap.connections.toLocaleString('en-US')} connections minus one before, by kind of object (type:constructor), per connection; compiled code is left out (it grows with warm-up, not with connections). In total **${kb(cn.parley.heap.bytesPerConnection)}** for parley and **${kb(cn.baseline.heap.bytesPerConnection)}** for the bare Socket.IO relay.`,
      '',
    );
    const kinds = [...new Set([...cn.parley.heap.top, ...cn.baseline.heap.top].map((x) => x.kind))];
    const find = (run: typeof cn.parley, kind: string) => run.heap.top.find((h) => h.kind === kind);
    const cell = (x: { objects: number; bytes: number } | undefined): string => (x ? `${x.objects} / ${x.bytes} B` : '–');
    kinds.sort((x, y) => (find(cn.parley, y)?.bytes ?? 0) - (find(cn.parley, x)?.bytes ?? 0));
    out.push(
      table(
        ['kind', 'parley: objects / bytes per connection', 'baseline: objects / bytes per connection'],
        kinds.map((kind) => [kind, cell(find(cn.parley, kind)), cell(find(cn.baseline, kind))]),
      ),
      '',
    );
    out.push(
      chart(
        'connections-memory.svg',
        barChart({
          title: 'connections: RSS per idle connection',
          unit: 'KB (KiB) per connection',
          groups: cn.parley.levels.map((l) => `${l.connections.toLocaleString('en-US')} connections`),
          series: [cn.parley, cn.baseline].map((run) => ({ name: run.server, values: run.levels.map((l) => l.kibPerConnection) })),
        }),
      ),
      '',
    );
  }

  if (r.roomFanout) out.push(...roomFanoutSection(r.roomFanout, chart));
  if (r.history) out.push(...historySection(r.history, chart));
  if (r.dm) out.push(...dmSection(r.dm));
  if (r.shardSpread) out.push(...shardSpreadSection(r.shardSpread));
  if (r.adapterFanIn) out.push(...adapterFanInSection(r.adapterFanIn));
  if (r.redisCluster) out.push(...redisClusterSection(r.redisCluster));
  if (r.capacity) out.push(...capacitySection(r.capacity, chart));
  if (r.soak) out.push(...soakSection(r.soak, chart));
  if (r.phoneLoad) out.push(...phoneLoadSection(r.phoneLoad));
  if (r.callSetup) out.push(...callSetupSection(r.callSetup));
  if (r.manyIdle) out.push(...manyIdleSection(r.manyIdle));

  const trips = [pb?.trips && ['pairing (per pair)', pb.trips], r.relay?.trips && ['message (per delivered message)', r.relay.trips]].filter(Boolean) as [string, { roundTrips: number; perUnit: Record<string, number>; insideScripts: Record<string, number> }][];
  if (trips.length) {
    out.push('## Redis round trips', '');
    out.push('Counted with `MONITOR` on a separate small run (200 seekers on 1 node; 20 pairs × 10 msg/s across 2 nodes for 1 s); a 2 s idle window (presence heartbeats) is measured first and subtracted. Round trips are the commands clients send; commands inside Lua scripts are listed apart.', '');
    out.push(
      table(
        ['per', 'round trips', 'by command', 'inside scripts'],
        trips.map(([label, t]) => [label, t.roundTrips, tripsLine(t.perUnit), tripsLine(t.insideScripts)]),
      ),
      '',
    );
  }

  if (r.profiles?.length) {
    out.push('## CPU profiles', '');
    for (const p of r.profiles) {
      out.push(`### ${p.file} (${p.durationS} s)`, '');
      out.push(table(['self time by area', '%'], p.byArea.map((x) => [x.name, x.selfPct])), '');
      out.push(table(['self time by function', '%'], p.byFunction.map((x) => [`\`${x.name}\``, x.selfPct])), '');
    }
  }
  return out.join('\n');
}
