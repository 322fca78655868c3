/** Markdown cells and tables of the report. */

/** Milliseconds, or "–" when there is no figure. */
export const ms = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v} ms`);

/** A count with thousands separators, or "–" when there is no figure. */
export const count = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US'));

export function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
