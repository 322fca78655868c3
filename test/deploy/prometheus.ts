/**
 * Helpers of the Prometheus and Grafana tests: running promtool, reading
 * deploy/prometheus's rules, and the metric names a PromQL expression reads.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../testkit/paths';
import { readRepoFile } from './helpers';

export const PROMETHEUS_DIR = path.join(ROOT, 'deploy', 'prometheus');

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Runs promtool; returns its exit status and everything it printed. */
export function promtool(args: string[], cwd = PROMETHEUS_DIR): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

/** The rules of one file of deploy/prometheus, every group's. */
export function readRules(file: 'rules.yml' | 'alerts.yml'): Rule[] {
  const doc = parse(readRepoFile(path.join('deploy', 'prometheus', file))) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

const PROMQL_WORDS = new Set([
  // Functions and aggregations.
  'abs', 'absent', 'avg', 'bottomk', 'ceil', 'changes', 'clamp_max', 'clamp_min', 'count', 'delta', 'deriv', 'floor',
  'histogram_quantile', 'idelta', 'increase', 'irate', 'label_replace', 'max', 'min', 'quantile', 'rate', 'round',
  'scalar', 'sort', 'sort_desc', 'stddev', 'sum', 'time', 'topk', 'vector', 'max_over_time', 'min_over_time',
  'avg_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'resets',
  // Keywords.
  'by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan',
]);

/**
 * The metric names an expression reads: identifiers that are not functions,
 * keywords, label names inside braces or by (…) lists, durations or strings.
 * Grafana's $variables and [$__rate_interval] are dropped first.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '');
  const names = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n) && !/^\d/.test(n)))];
}

/** The series a histogram or a counter name is read as. */
export function baseName(name: string): string {
  return name.replace(/_(bucket|sum|count)$/, '');
}
