/**
 * deploy/prometheus checked offline with promtool (Debian's `prometheus`
 * package): the scrape configs and rule files load, and the alerts' unit
 * tests (deploy/prometheus/tests/) pass. Every alert is one a person can act
 * on: a severity, a summary, a runbook link, and a unit test in which it fires
 * and one in which it stays quiet.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { readRepoFile } from './helpers';
import { PROMETHEUS_DIR, promtool, readRules } from './prometheus';

interface AlertTest {
  alertname: string;
  exp_alerts: unknown[];
}

const alerts = readRules('alerts.yml');
const testFiles = readdirSync(path.join(PROMETHEUS_DIR, 'tests'))
  .filter((f) => f.endsWith('.yml'))
  .map((f) => path.join('tests', f));

describe('deploy/prometheus', () => {
  it.each(['prometheus.yml', 'prometheus-bare-metal.yml'])('promtool check config %s passes, rule files included', (file) => {
    const { status, output } = promtool(['check', 'config', file]);
    expect(output).toMatch(/SUCCESS: 2 rule files found/);
    expect({ status, output }).toEqual({ status: 0, output: expect.not.stringMatching(/FAILED|error/i) });
  });

  it('promtool check rules passes for the recording and alert rules', () => {
    const { status, output } = promtool(['check', 'rules', 'rules.yml', 'alerts.yml']);
    expect({ status, output }).toEqual({ status: 0, output: expect.not.stringMatching(/FAILED|error/i) });
  });

  it('promtool test rules passes: each alert fires on its series and stays quiet otherwise', () => {
    expect(testFiles.length).toBeGreaterThan(0);
    const { status, output } = promtool(['test', 'rules', ...testFiles]);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    expect(output).not.toMatch(/FAILED/);
  });

  it('scrapes every node of compose and of deploy/cluster.sh with its node_id, as the nodes name themselves', () => {
    const compose = parse(readRepoFile('docker-compose.yml')) as { services: Record<string, { environment?: Record<string, string> }> };
    const expected: Record<string, [string, string][]> = {
      'prometheus.yml': ['node1', 'node2', 'node3'].map((s) => [`${s}:3001`, compose.services[s]!.environment!.NODE_ID!]),
      // cluster.sh: node i on 127.0.0.1:(3101 + i - 1), NODE_ID node-<i>.
      'prometheus-bare-metal.yml': [1, 2, 3].map((i) => [`127.0.0.1:${3100 + i}`, `node-${i}`]),
    };
    expect(readRepoFile('deploy/cluster.sh')).toMatch(/BASE_PORT="\$\{BASE_PORT:-3101\}"/);
    for (const [file, targets] of Object.entries(expected)) {
      const config = parse(readRepoFile(`deploy/prometheus/${file}`)) as {
        scrape_configs: { job_name: string; static_configs: { targets: string[]; labels: { node_id: string } }[] }[];
      };
      const [job] = config.scrape_configs;
      expect(job!.job_name).toBe('parley');
      expect(job!.static_configs.flatMap((c) => c.targets.map((t) => [t, c.labels.node_id]))).toEqual(targets);
    }
  });

  it('gives every alert a severity, a summary and a runbook section, and a unit test where it fires and one where it does not', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(11);
    const tests = testFiles.flatMap((file) => {
      const doc = parse(readRepoFile(path.join('deploy', 'prometheus', file))) as { tests: { alert_rule_test?: AlertTest[] }[] };
      return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
    });
    for (const rule of alerts) {
      const name = rule.alert!;
      expect({ name, severity: rule.labels?.severity }).toEqual({ name, severity: expect.stringMatching(/^(critical|warning)$/) });
      expect({ name, summary: rule.annotations?.summary }).toEqual({ name, summary: expect.stringMatching(/^\S.{20,}$/) });
      expect({ name, runbook: rule.annotations?.runbook_url }).toEqual({ name, runbook: `docs/operations.md#${name.toLowerCase()}` });
      const mine = tests.filter((t) => t.alertname === name);
      expect({ name, fires: mine.some((t) => t.exp_alerts.length > 0) }).toEqual({ name, fires: true });
      expect({ name, quiet: mine.some((t) => t.exp_alerts.length === 0) }).toEqual({ name, quiet: true });
    }
  });

  it('fails on a broken rule, so a passing run means something', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-promtool-'));
    try {
      const file = path.join(dir, 'broken.yml');
      writeFileSync(file, 'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(rate(parley_matches_total[5m])\n');
      const { status, output } = promtool(['check', 'rules', file]);
      expect(status).not.toBe(0);
      expect(output).toMatch(/FAILED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
