import { extrapolate, type DeepPoolLevel } from '../../bench/scenarios/deep-pool';
import { targets } from '../../bench/lib/report';
import type { Results } from '../../bench/lib/report-types';
import type { HistoryResult } from '../../bench/scenarios/history';
import type { FanoutRun } from '../../bench/scenarios/room-fanout';
import { percentile, summarize } from '../../bench/lib/stats';
import { barChart, lineChart } from '../../bench/lib/svg';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('summarizes unsorted samples', () => {
    expect(summarize([3, 1, 2])).toMatchObject({ count: 3, p50: 2, max: 3, mean: 2 });
    expect(summarize([]).count).toBe(0);
  });
});

describe('bench charts', () => {
  const spec = { title: 'a < b', unit: 'ms', groups: ['x', 'y'], series: [{ name: 'p50', values: [1, 2] }, { name: 'p99', values: [3, NaN] }] };

  it('draws one bar per finite value and escapes text', () => {
    const svg = barChart(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('a &lt; b');
    expect(svg.match(/<rect x=/g)).toHaveLength(3 + 2);
  });

  it('draws one line per series', () => {
    expect(lineChart(spec).match(/<polyline/g)).toHaveLength(2);
  });
});

describe('deep-pool figures', () => {
  const level = (waiters: number, paired: number[], fillers: 'clients' | 'ghosts' = 'clients'): DeepPoolLevel => ({
    waiters,
    fillers,
    placements: [0, 1].map((i) => ({
      depthA: i,
      depthB: i + 2,
      paired: paired[i] !== undefined,
      timeToPairMs: paired[i] ?? null,
      fromEmitMs: paired[i] ?? null,
      fillersPaired: 0,
    })),
    paired: paired.length,
    timeToPairMs: summarize(paired),
    fillersPaired: 0,
    background: null,
    redisMiB: 1,
  });
  const results = (levels: DeepPoolLevel[]): Results => ({
    command: 'npm run bench',
    mode: 'smoke',
    startedAt: '',
    durationS: 0,
    machine: { cpus: 2, cpuModel: 'x', node: 'v20', redis: '7', memGiB: 1 },
    deepPool: { nodes: 2, settings: {}, timeoutMs: 10_000, seed: 1, levels, extrapolation: null },
  });

  it('grades time to pair up to 1,000 waiters and reports larger pools only', () => {
    const rows = targets(results([level(100, [20, 900]), level(1000, [20, 1200]), level(10_000, [5, 5], 'ghosts')])).filter((t) => t.scenario === 'deep-pool');
    expect(rows.map((t) => t.met)).toEqual([true, false, null, null]);
  });

  it('reports a pool where A and B never meet as not paired, not as NaN', () => {
    const [row] = targets(results([level(100, [])]));
    expect(row).toMatchObject({ met: false, measured: 'not paired (0/2 within 10 s)' });
  });

  it('extrapolates the per-waiter cost as a power of W through the two largest sizes', () => {
    expect(extrapolate([{ waiters: 100, perWaiter: 2 }, { waiters: 1000, perWaiter: 2 }], 10_000)).toEqual({ perWaiter: 2, exponent: 0 });
    expect(extrapolate([{ waiters: 100, perWaiter: 1 }, { waiters: 1000, perWaiter: 10 }], 10_000)).toEqual({ perWaiter: 100, exponent: 1 });
    // Never assumed to get cheaper per waiter as the pool grows.
    expect(extrapolate([{ waiters: 100, perWaiter: 4 }, { waiters: 1000, perWaiter: 2 }], 10_000)).toEqual({ perWaiter: 2, exponent: 0 });
    expect(extrapolate([], 10_000)).toBeNull();
  });
});

describe('topic-room figures', () => {
  const base: Results = { command: 'npm run bench', mode: 'smoke', startedAt: '', durationS: 0, machine: { cpus: 2, cpuModel: 'x', node: 'v20', redis: '7', memGiB: 1 } };
  const fanout = (p99: number, reordered: number): FanoutRun => ({
    label: 'one room', rooms: 1, membersPerRoom: 200, nodes: 3, ratePerSecond: 20, seconds: 10, sent: 200, acked: 200, rejected: 0,
    expected: 39_800, delivered: 39_800, lost: 0, duplicated: 0, reordered, receiversReordered: reordered ? 1 : 0,
    oneWayMs: summarize([1, p99]), ackMs: summarize([1]), setupS: 1,
  });
  const history = (readP99: number, lagP99: number, unarchived: number): HistoryResult => ({
    nodes: 2,
    reads: { rooms: 1, messagesPerRoom: 1000, messages: 1000, seedS: 1, requests: 2, errors: 0, wrong: 0, all: summarize([1, readP99]), window: summarize([1]), archive: summarize([readP99]) },
    writer: { nodes: 2, rooms: 20, senders: 40, offeredPerS: 2000, seconds: 10, sent: 10, acked: 10, rejected: 0, ackedPerS: 2000, archivedPerS: 2000, lagMs: summarize([1, lagP99]), ackMs: summarize([1]), unarchived, pollMs: 25 },
  });

  it('misses room-fanout on a slow p99 or on a single delivery out of seq order', () => {
    const rows = (run: FanoutRun) => targets({ ...base, roomFanout: { nodes: 3, runs: [run] } }).map((t) => t.met);
    expect(rows(fanout(40, 0))).toEqual([true]);
    expect(rows(fanout(60, 0))).toEqual([false]);
    expect(rows(fanout(40, 1))).toEqual([false]);
  });

  it('grades history reads and archive lag apart, and a message never archived misses the lag target', () => {
    const rows = (h: HistoryResult) => targets({ ...base, history: h }).map((t) => t.met);
    expect(rows(history(10, 500, 0))).toEqual([true, true]);
    expect(rows(history(30, 500, 0))).toEqual([false, true]);
    expect(rows(history(10, 500, 1))).toEqual([true, false]);
  });
});
