/** Small hand-written SVG charts: grouped bars and lines. */

export interface Series {
  name: string;
  values: number[];
}

export interface ChartSpec {
  title: string;
  unit: string;
  /** Category labels (bars) or x values as text (lines). */
  groups: string[];
  series: Series[];
}

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948'];
const W = 720;
const H = 360;
const M = { top: 40, right: 20, bottom: 70, left: 70 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return `${Math.round(v).toLocaleString('en-US')}`;
  if (Math.abs(v) >= 10) return `${Math.round(v * 10) / 10}`;
  return `${Math.round(v * 100) / 100}`;
}

function frame(spec: ChartSpec, max: number, body: string[]): string {
  const plotH = H - M.top - M.bottom;
  const plotW = W - M.left - M.right;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(spec.title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = (max * i) / 5;
    const y = M.top + plotH - (plotH * i) / 5;
    out.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 6}" y="${y + 4}" text-anchor="end" fill="#444">${fmt(v)}</text>`);
  }
  out.push(
    `<text transform="translate(16 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#444">${esc(spec.unit)}</text>`,
  );
  out.push(...body);
  let lx = M.left;
  spec.series.forEach((s, i) => {
    out.push(`<rect x="${lx}" y="${H - 22}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${lx + 16}" y="${H - 12}">${esc(s.name)}</text>`);
    lx += 30 + s.name.length * 7;
  });
  out.push('</svg>');
  return out.join('\n');
}

export function barChart(spec: ChartSpec): string {
  const plotH = H - M.top - M.bottom;
  const plotW = W - M.left - M.right;
  const max = niceMax(Math.max(...spec.series.flatMap((s) => s.values.filter(Number.isFinite))));
  const groupW = plotW / spec.groups.length;
  const barW = (groupW * 0.8) / spec.series.length;
  const body: string[] = [];
  spec.groups.forEach((g, gi) => {
    const gx = M.left + gi * groupW + groupW * 0.1;
    spec.series.forEach((s, si) => {
      const v = s.values[gi] ?? NaN;
      if (!Number.isFinite(v)) return;
      const h = (plotH * Math.min(v, max)) / max;
      const x = gx + si * barW;
      const y = M.top + plotH - h;
      body.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${g} ${s.name}: ${fmt(v)} ${spec.unit}`)}</title></rect>`);
      body.push(`<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="10" fill="#333">${fmt(v)}</text>`);
    });
    body.push(`<text x="${(gx + groupW * 0.4).toFixed(1)}" y="${M.top + plotH + 18}" text-anchor="middle">${esc(g)}</text>`);
  });
  return frame(spec, max, body);
}

/** Lines over evenly spaced x categories (e.g. a log-spaced pool size). */
export function lineChart(spec: ChartSpec): string {
  const plotH = H - M.top - M.bottom;
  const plotW = W - M.left - M.right;
  const max = niceMax(Math.max(...spec.series.flatMap((s) => s.values.filter(Number.isFinite))));
  const n = spec.groups.length;
  const xAt = (i: number): number => M.left + (n === 1 ? plotW / 2 : 30 + ((plotW - 60) * i) / (n - 1));
  const yAt = (v: number): number => M.top + plotH - (plotH * Math.min(v, max)) / max;
  const body: string[] = [];
  spec.groups.forEach((g, i) => body.push(`<text x="${xAt(i).toFixed(1)}" y="${M.top + plotH + 18}" text-anchor="middle">${esc(g)}</text>`));
  spec.series.forEach((s, si) => {
    const color = COLORS[si % COLORS.length];
    const pts = s.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
    body.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      body.push(`<circle cx="${xAt(i).toFixed(1)}" cy="${yAt(v).toFixed(1)}" r="4" fill="${color}"/>`);
      body.push(`<text x="${(xAt(i) + 6).toFixed(1)}" y="${(yAt(v) - 6).toFixed(1)}" font-size="10" fill="#333">${fmt(v)}</text>`);
    });
  });
  return frame(spec, max, body);
}
