import { extrapolate, type DeepPoolLevel } from '../../bench/scenarios/deep-pool';
import { targets, type Results } from '../../bench/lib/report';
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
