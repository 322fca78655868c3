/** The relay part of the report: summary rows and section. */
import type { RelayResult } from '../scenarios/relay';
import { count, ms, table } from './markdown';
import type { Chart, TargetRow } from './report-types';
import { barChart } from './svg';

/** Saturation of one parley node ÷ the bare relay's, at least. */
export const SATURATION_RATIO_TARGET = 0.85;
/** Server CPU per message at the paced rate ÷ the bare relay's, at most. */
export const PACED_CPU_RATIO_TARGET = 1.15;

export function relayTargets(rl: RelayResult): TargetRow[] {
  const rows: TargetRow[] = [];
  const run = rl.fixed.find((x) => x.pairs === 250) ?? rl.fixed[0];
  if (run) {
    rows.push({
      scenario: 'relay',
      target: `${run.pairs} pairs × ${run.ratePerPair} msg/s across 2 nodes: 0 lost/dup/reordered, p99 one-way ≤ 10 ms`,
      measured: `${run.lost}/${run.duplicated}/${run.reordered}, p99 ${ms(run.oneWayMs.p99)} (p50 ${ms(run.oneWayMs.p50)}, max ${ms(run.oneWayMs.max)})`,
      met: run.lost === 0 && run.duplicated === 0 && run.reordered === 0 && run.rejected === 0 && run.oneWayMs.p99 <= 10,
    });
  }
  const p = rl.paced;
  rows.push(
    {
      scenario: 'relay',
      target: `server CPU per message at ${count(p.parley.ratePerSecond)} msg/s on 1 node ≤ ${PACED_CPU_RATIO_TARGET} × bare Socket.IO relay`,
      measured: `${p.parley.serverCpuUsPerMessage} vs ${p.baseline.serverCpuUsPerMessage} µs = ${p.cpuRatio} (median of ${p.rounds.length})`,
      met: p.cpuRatio <= PACED_CPU_RATIO_TARGET && p.parley.lost === 0,
    },
    {
      scenario: 'relay',
      target: `saturation of 1 node ≥ ${SATURATION_RATIO_TARGET} × bare Socket.IO relay`,
      measured: `${rl.saturation.parley.deliveredPerSecond} vs ${rl.saturation.baseline.deliveredPerSecond} msg/s = ${rl.saturation.ratio} (median of ${rl.saturation.rounds.length})`,
      met: rl.saturation.ratio >= SATURATION_RATIO_TARGET,
    },
  );
  return rows;
}

export function relaySection(rl: RelayResult, chart: Chart): string[] {
  const p = rl.paced;
  return [
    '## relay',
    '',
    'Fixed rate: each pair has one user on node 1 and one on node 2 and sends R messages/s in total, alternating direction, spread evenly in time; 64-character messages carrying a sequence number and the send time (same process, one clock).',
    '',
    table(
      ['pairs × msg/s', 'seconds', 'sent', 'rejected', 'lost', 'dup', 'reordered', 'one-way p50', 'p99', 'max', 'ack p99', 'Redis cmds / msg*'],
      rl.fixed.map((x) => [`${x.pairs} × ${x.ratePerPair}`, x.seconds, x.sent, x.rejected, x.lost, x.duplicated, x.reordered, ms(x.oneWayMs.p50), ms(x.oneWayMs.p99), ms(x.oneWayMs.max), ms(x.ackMs.p99), x.redisCommandsPerMessage]),
    ),
    '',
    `One node against the bare relay: ${rl.saturation.parley.pairs} pairs on one server. Both servers stay up and take turns, ${rl.saturation.rounds.length} round(s) of four turns (parley saturated, baseline saturated, parley paced, baseline paced), so drift of the shared machine falls on both; each ratio is its median round's. The baseline (\`bench/baseline-server.ts\`) forwards \`send-message\` to the partner's per-user room through the same Redis adapter (\`@socket.io/redis-adapter\`, one Redis of its own) and acks it with the same shape, with no validation, store, log or rate limit.`,
    '',
    `Saturation: each direction keeps ${rl.saturation.parley.window} messages in flight, for ${rl.saturation.parley.seconds} s per turn.`,
    '',
    table(
      ['round', 'server', 'delivered msg/s', 'one-way p50', 'p99', 'server CPU µs / msg', 'Redis CPU µs / msg', 'parley ÷ baseline'],
      rl.saturation.rounds.flatMap((r, i) =>
        [r.parley, r.baseline].map((x) => [i + 1, x.server, x.deliveredPerSecond, ms(x.oneWayMs.p50), ms(x.oneWayMs.p99), x.serverCpuUsPerMessage, x.redisCpuUsPerMessage, x.server === 'parley' ? r.ratio : '']),
      ),
    ),
    '',
    `Saturation, parley ÷ baseline (median round): **${rl.saturation.ratio}** (target ≥ ${SATURATION_RATIO_TARGET}).`,
    '',
    `Paced: ${count(p.parley.ratePerSecond)} messages/s in total, open loop, spread evenly over the pairs and in time, for ${p.parley.seconds} s per turn. Server CPU (user + system from \`/proc/<pid>/stat\`, so each server's idle timers are included) ÷ delivered messages.`,
    '',
    table(
      ['round', 'server', 'delivered msg/s', 'lost', 'one-way p50', 'p99', 'server CPU µs / msg', 'Redis CPU µs / msg', 'parley ÷ baseline (CPU)'],
      p.rounds.flatMap((r, i) =>
        [r.parley, r.baseline].map((x) => [i + 1, x.server, x.deliveredPerSecond, x.lost, ms(x.oneWayMs.p50), ms(x.oneWayMs.p99), x.serverCpuUsPerMessage, x.redisCpuUsPerMessage, x.server === 'parley' ? r.cpuRatio : '']),
      ),
    ),
    '',
    `Paced, server CPU per message, parley ÷ baseline (median round): **${p.cpuRatio}** (target ≤ ${PACED_CPU_RATIO_TARGET}).`,
    '',
    chart(
      'relay-latency.svg',
      barChart({
        title: 'relay: one-way latency across 2 nodes',
        unit: 'ms',
        groups: rl.fixed.map((x) => `${x.pairs} pairs × ${x.ratePerPair}/s`),
        series: (['p50', 'p95', 'p99'] as const).map((k) => ({ name: k, values: rl.fixed.map((x) => x.oneWayMs[k]) })),
      }),
    ),
    chart(
      'relay-saturation.svg',
      barChart({
        title: 'relay: saturation throughput of one server',
        unit: 'delivered messages / s',
        groups: ['parley node', 'bare Socket.IO relay'],
        series: [{ name: 'msg/s', values: [rl.saturation.parley.deliveredPerSecond, rl.saturation.baseline.deliveredPerSecond] }],
      }),
    ),
    chart(
      'relay-cpu.svg',
      barChart({
        title: `relay: server CPU per message at ${count(p.parley.ratePerSecond)} msg/s`,
        unit: 'µs / message',
        groups: ['parley node', 'bare Socket.IO relay'],
        series: [{ name: 'server CPU', values: [p.parley.serverCpuUsPerMessage, p.baseline.serverCpuUsPerMessage] }],
      }),
    ),
    '',
  ];
}
