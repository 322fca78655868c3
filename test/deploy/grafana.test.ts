/**
 * deploy/grafana/parley.json: a dashboard Grafana loads (valid JSON, unique
 * panel ids, panels that do not overlap, every query on the provisioned
 * Prometheus), and every metric its queries, the alerts and the recording
 * rules read is one a real node exports (read from its /metrics, with
 * PostgreSQL so the PostgreSQL figures are there) or a recording rule.
 */
import { readRepoFile } from './helpers';
import { baseName, metricNames, readRules } from './prometheus';
import { startNode, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';

type Json = Record<string, any>;

const dashboard = JSON.parse(readRepoFile('deploy/grafana/parley.json')) as Json;
const panels = dashboard.panels as Json[];
const queries = panels.filter((p) => p.type !== 'row').flatMap((p) => (p.targets as Json[]).map((t) => ({ panel: p.title as string, expr: t.expr as string })));
const rules = [...readRules('rules.yml'), ...readRules('alerts.yml')];
const recorded = new Set(readRules('rules.yml').map((r) => r.record!));
/** Series Prometheus itself writes for every target. */
const SCRAPE_SERIES = new Set(['up']);

describe('deploy/grafana/parley.json', () => {
  it('is a dashboard with a uid, unique panel ids and a Prometheus datasource variable every query uses', () => {
    expect(dashboard).toEqual(expect.objectContaining({ uid: 'parley', title: 'parley', schemaVersion: expect.any(Number) }));
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const [variable] = dashboard.templating.list as Json[];
    expect(variable).toEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect({ panel: panel.title, type: panel.type }).toEqual({ panel: panel.title, type: expect.stringMatching(/^(timeseries|stat)$/) });
      expect(panel.description).toMatch(/\S{3}/);
      for (const target of [panel, ...panel.targets]) expect(target.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets.length).toBeGreaterThan(0);
    }
  });

  it('lays panels on the 24-column grid without overlap', () => {
    const cells = new Set<string>();
    for (const { gridPos: g, title } of panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect({ title, cell: `${x},${y}`, free: !cells.has(`${x},${y}`) }).toEqual({ title, cell: `${x},${y}`, free: true });
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('shows what an operator looks at: users, pairing, messages, errors, stores, lag, archive, moderation', () => {
    const all = queries.map((q) => q.expr).join('\n');
    for (const figure of [
      'parley:online_users:max', 'parley:waiting_users:max', 'parley:chatting_users:max', 'parley:away_users:max',
      'parley:matches:rate5m', 'parley:match_wait_seconds:p99_5m', 'parley:messages:rate1m', 'parley:errors:rate5m',
      'parley:store_command_seconds:p99_5m', 'nodejs_eventloop_lag_p99_seconds', 'parley_archive_lag_seconds',
      'parley_postgres_up', 'parley_store_up', 'parley:reports_open:max',
    ]) {
      expect({ figure, shown: all.includes(figure) }).toEqual({ figure, shown: true });
    }
  });

  it('reads the metric names out of PromQL, skipping functions, labels and ranges', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, command) (rate(parley_store_command_seconds_bucket{code="x"}[5m])))')).toEqual([
      'parley_store_command_seconds_bucket',
    ]);
    expect(metricNames('count(up{job="parley"}) > max(parley_cluster_nodes) and parley:matches:rate5m == 0')).toEqual([
      'up', 'parley_cluster_nodes', 'parley:matches:rate5m',
    ]);
  });
});

describe('the metrics the dashboard and the rules read', () => {
  let postgres: PostgresServer;
  let node: RunningNode;
  let exported: Set<string>;

  beforeAll(async () => {
    postgres = await startPostgres();
    node = await startNode({ DATABASE_URL: postgres.url, NODE_ID: 'node-1' });
    const text = await (await fetch(`${node.url}/metrics`)).text();
    // Every family has a TYPE line, samples or not (a labelled counter with none yet).
    exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    await postgres?.stop();
  });

  it('are exported by a real node, or are recording rules', () => {
    expect(exported.has('parley_postgres_up')).toBe(true);
    const used = [
      ...queries.map((q) => ({ where: `dashboard: ${q.panel}`, expr: q.expr })),
      ...rules.map((r) => ({ where: `rule: ${r.record ?? r.alert}`, expr: r.expr })),
    ];
    for (const { where, expr } of used) {
      for (const name of metricNames(expr)) {
        const known = recorded.has(name) || SCRAPE_SERIES.has(name) || exported.has(name) || exported.has(baseName(name));
        expect({ where, name, known }).toEqual({ where, name, known: true });
      }
    }
  });

  it('every recording rule is read by the dashboard or an alert', () => {
    const read = new Set([...queries.map((q) => q.expr), ...readRules('alerts.yml').map((r) => r.expr)].flatMap(metricNames));
    for (const name of recorded) expect({ name, read: read.has(name) }).toEqual({ name, read: true });
  });
});
