/**
 * The scrape config and rules against a real Prometheus (Debian's
 * `prometheus` package): two real nodes, scraped every two seconds (a scrape
 * may take that long on a busy machine); every target comes up and a per-node
 * recording rule returns both nodes' figures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { eventually } from '../../testkit/eventually';
import { getJson } from '../../testkit/http';
import { startCluster, stopAll, type RunningNode } from '../../testkit/nodes';
import { freePort } from '../../testkit/ports';
import { ProcessGroup, whenReady } from '../../testkit/processes';
import { PROMETHEUS_DIR } from './prometheus';

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
}
interface Target {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

const processes = new ProcessGroup();
let dir: string;
let nodes: RunningNode[];
let api: string;

beforeAll(async () => {
  nodes = await startCluster(2);
  dir = mkdtempSync(path.join(os.tmpdir(), 'parley-prometheus-'));
  // The shipped configuration, its rule files by full path, its job pointed
  // at the two nodes, scrapes every two seconds with that long to answer, and
  // rules every second.
  const config = parse(readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: { static_configs: unknown[] }[];
  };
  config.global = { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '1s' };
  config.rule_files = config.rule_files.map((file) => path.join(PROMETHEUS_DIR, file));
  config.scrape_configs[0]!.static_configs = nodes.map((node, i) => ({ targets: [new URL(node.url).host], labels: { node_id: `node-${i + 1}` } }));
  writeFileSync(path.join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  api = `http://127.0.0.1:${port}/api/v1`;
  const prometheus = processes.spawn('prometheus', 'prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  await whenReady(prometheus, 'prometheus', async () => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok, 30_000);
}, 60_000);

afterAll(async () => {
  await processes.stopAll();
  await stopAll(nodes ?? []);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every node is scraped and up, labelled with its node_id', async () => {
  // Targets and the up series are read together: a scrape of a node that is
  // slow to answer on a busy machine marks it down until the next one.
  await eventually(
    async () => {
      const answer = await getJson<ApiAnswer<{ activeTargets: Target[] }>>(`${api}/targets`);
      const active = answer.data.activeTargets;
      expect(active.map((t) => [t.labels.node_id, t.health, t.lastError])).toEqual([
        ['node-1', 'up', ''],
        ['node-2', 'up', ''],
      ]);
      expect(active.every((t) => t.labels.job === 'parley')).toBe(true);
      const up = await getJson<ApiAnswer<{ result: Sample[] }>>(`${api}/query?query=${encodeURIComponent('up{job="parley"}')}`);
      expect(up.data.result.map((s) => [s.metric.node_id, s.value[1]]).sort()).toEqual([
        ['node-1', '1'],
        ['node-2', '1'],
      ]);
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}, 40_000);

test('a recording rule returns both nodes’ figures, and the rule files loaded without error', async () => {
  const samples = await eventually(
    async () => {
      const answer = await getJson<ApiAnswer<{ result: Sample[] }>>(`${api}/query?query=${encodeURIComponent('node_id:process_open_fds:ratio')}`);
      expect(answer.data.result.map((s) => s.metric.node_id).sort()).toEqual(['node-1', 'node-2']);
      return answer.data.result;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  for (const s of samples) {
    const ratio = Number(s.value[1]);
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(1);
  }
  const rules = await getJson<ApiAnswer<{ groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] }>>(
    `${api}/rules`,
  );
  expect(rules.data.groups.map((g) => g.name).sort()).toEqual(['parley.alerts', 'parley.rules']);
  const unhealthy = rules.data.groups.flatMap((g) => g.rules).filter((r) => r.health === 'err');
  expect(unhealthy).toEqual([]);
}, 40_000);
