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
