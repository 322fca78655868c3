/** The deep-pool part of the report: its summary rows and its section. */
import type { DeepPoolLevel, DeepPoolResult } from '../scenarios/deep-pool';
import { count, ms, table } from './markdown';
import type { Chart, TargetRow } from './report-types';
import { barChart } from './svg';

/** Waiter counts up to this are held to the deep-pool time-to-pair target; larger ones are reported only. */
export const DEEP_POOL_GRADED_UP_TO = 1000;
/** deep-pool target: the slowest placement pairs within this. */
export const DEEP_POOL_TARGET_MS = 1000;

function deepPoolMeasured(l: DeepPoolLevel, timeoutMs: number): string {
  const n = l.placements.length;
  const text =
    l.paired === 0
      ? `not paired (0/${n} within ${timeoutMs / 1000} s)`
      : `${l.paired}/${n} paired${l.paired < n ? ` (rest not within ${timeoutMs / 1000} s)` : ''}: max ${ms(l.timeToPairMs.max)}, p50 ${ms(l.timeToPairMs.p50)}`;
  return l.fillersPaired > 0 ? `${text}; **${l.fillersPaired} ineligible filler(s) paired**` : text;
}

/** Summary rows: time to pair per size (graded up to DEEP_POOL_GRADED_UP_TO), then the background cost. */
export function deepPoolTargets(dp: DeepPoolResult): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const l of dp.levels) {
    const graded = l.waiters <= DEEP_POOL_GRADED_UP_TO;
    rows.push({
      scenario: 'deep-pool',
      target: graded
        ? `A and B at random depths of ${count(l.waiters)} ineligible waiters: paired ≤ ${DEEP_POOL_TARGET_MS / 1000} s (max of ${l.placements.length})`
        : `same at ${count(l.waiters)} waiters (${l.fillers}): report only`,
      measured: deepPoolMeasured(l, dp.timeoutMs),
      met: graded ? l.paired === l.placements.length && l.timeToPairMs.max <= DEEP_POOL_TARGET_MS && l.fillersPaired === 0 : null,
    });
  }
  rows.push({
    scenario: 'deep-pool',
    target: 'Redis commands/s the waiting pool costs: report only',
    measured: dp.levels
      .filter((l) => l.background)
      .map((l) => `${count(l.waiters)}: ${count(l.background!.netPerS)}/s (${l.background!.netPerWaiter} per waiter)${l.background!.extrapolated ? ' extrapolated' : ''}`)
      .join('; '),
    met: null,
  });
  return rows;
}

/** The deep-pool section of the report. */
export function deepPoolSection(dp: DeepPoolResult, chart: Chart): string[] {
  const out: string[] = ['## deep-pool', ''];
  const setting = (k: string): string => `\`${k}=${dp.settings[k] ?? '–'}\``;
  out.push(
    `${dp.nodes} nodes, ${['MATCH_COOLDOWN_MS', 'REMATCH_WINDOW_MS', 'RANDOM_FALLBACK_MS'].map(setting).join(', ')}; nobody has interests, so everyone waits in the open pool. ` +
      'W fillers are made ineligible for each other and for A and B by writing rematch histories into Redis (every filler pair both ways; A–filler and B–filler both ways; never A–B). ' +
      'Then they search in order, spread over both nodes, with A (node 1) after the first k₁ of them and B (node 2) after k₂ ≥ k₁: A sits k₁ deep in the pool, B k₂ + 1. ' +
      "The fillers behind B search right after B's ack, while the clock runs. " +
      `Depths are drawn from a fixed seed (${dp.seed}), so every run uses the same placements. ` +
      "Time to pair is from B's `find-match` ack until both A and B hold `matched` for the same room (0 when they were paired inside that call); " +
      `a placement not paired within ${dp.timeoutMs / 1000} s counts as not paired. Each placement runs on a fresh Redis and fresh nodes.`,
    '',
    'Up to 1,000 waiters the fillers are real clients. At 10,000, all-pairs histories would be ~5·10⁷ entries (~10 GB), so the fillers are ghosts (`test/helpers/pool-seed.ts`): ' +
      "waiters written straight into Redis that no node searches for, kept from A and B by A's and B's histories.",
    '',
    `Walk settings passed to the nodes (a node that predates them ignores them): ${Object.keys(dp.settings).filter((k) => k.startsWith('MATCH_SCAN') || k === 'MATCH_RESCAN_MS').map(setting).join(', ')}.`,
    '',
  );
  out.push(
    table(
      ['waiters', 'fillers', 'paired', 'time to pair p50', 'max', 'Redis cmds/s: idle*', 'fillers waiting*', 'net', 'net per waiter', 'Redis memory', 'fillers paired'],
      dp.levels.map((l) => {
        const bg = l.background;
        return [
          count(l.waiters),
          l.fillers,
          `${l.paired}/${l.placements.length}`,
          ms(l.timeToPairMs.p50),
          ms(l.timeToPairMs.max),
          count(bg?.idlePerS),
          count(bg?.waitingPerS),
          bg ? `${count(bg.netPerS)}${bg.extrapolated ? ' (extrapolated)' : ''}` : '–',
          bg ? `${bg.netPerWaiter}${bg.extrapolated ? ' (extrapolated)' : ''}` : '–',
          `${l.redisMiB} MiB`,
          l.fillersPaired,
        ];
      }),
    ),
    '',
    `\\* \`INFO commandstats\`, the calls of every command summed (commands inside scripts included), per second over a window of ${dp.levels.find((l) => l.background && !l.background.extrapolated)?.background?.windowS ?? '–'} s: ` +
      'once with every client connected and nobody searching (idle), once with only the fillers waiting (after the first placement, A and B out of the pool); net is the difference. ' +
      (dp.extrapolation
        ? `Ghosts never walk the pool, so at their sizes the cost is **extrapolated**: per-waiter rate ∝ W^${dp.extrapolation.exponent}, the power through the measured sizes ${dp.extrapolation.fromWaiters.map(count).join(' and ')} (held between 0 and 2).`
        : ''),
    '',
  );
  const rows = dp.levels.flatMap((l) =>
    l.placements.map((p, i) => [
      count(l.waiters),
      i + 1,
      count(p.depthA),
      count(p.depthB),
      p.paired ? ms(p.timeToPairMs) : 'not paired',
      p.paired ? ms(p.fromEmitMs) : '–',
      p.fillersPaired,
    ]),
  );
  out.push(table(['waiters', 'placement', "A's depth", "B's depth", "time to pair (from B's ack)", "from B's emit", 'fillers paired'], rows), '');
  out.push(
    chart(
      'deep-pool-time-to-pair.svg',
      barChart({
        title: 'deep-pool: time to pair A and B (placements that paired)',
        unit: 'ms',
        groups: dp.levels.map((l) => `${count(l.waiters)} waiters (${l.paired}/${l.placements.length} paired)`),
        series: (['p50', 'max'] as const).map((k) => ({ name: k, values: dp.levels.map((l) => l.timeToPairMs[k]) })),
      }),
    ),
    chart(
      'deep-pool-background.svg',
      barChart({
        title: 'deep-pool: Redis commands/s of a waiting pool (net of idle)',
        unit: 'commands / s',
        groups: dp.levels.map((l) => `${count(l.waiters)}${l.background?.extrapolated ? ' (extrapolated)' : ''}`),
        series: [{ name: 'commands/s', values: dp.levels.map((l) => l.background?.netPerS ?? NaN) }],
      }),
    ),
    '',
  );
  return out;
}
