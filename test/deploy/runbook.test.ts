/**
 * docs/operations.md is the runbook of deploy/prometheus/alerts.yml: every
 * alert has its section under "## Alerts" (what it means, how to confirm it,
 * what to do), every runbook_url lands on a heading that exists, and the
 * runbook keeps no section for an alert that is gone.
 */
import { readRepoFile } from './helpers';
import { readRules } from './prometheus';

const runbook = readRepoFile('docs/operations.md');
const alerts = readRules('alerts.yml');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const headings = [...runbook.matchAll(/^(#{1,6}) (.+)$/gm)].map((m) => ({ level: m[1]!.length, text: m[2]!, index: m.index! }));
const anchors = new Set(headings.map((h) => anchor(h.text)));
const alertsStart = headings.find((h) => h.level === 2 && h.text === 'Alerts');
const alertsEnd = headings.find((h) => h.level === 2 && alertsStart !== undefined && h.index > alertsStart.index);
const alertSections = headings.filter((h) => h.level === 3 && h.index > (alertsStart?.index ?? Infinity) && h.index < (alertsEnd?.index ?? Infinity));

/** The text of one section, up to the next heading of its level or above. */
function section(name: string): string {
  const at = alertSections.find((h) => h.text === name);
  if (!at) return '';
  const next = headings.find((h) => h.index > at.index && h.level <= 3);
  return runbook.slice(at.index, next?.index ?? runbook.length);
}

test('the runbook holds one section per alert under "## Alerts", no more', () => {
  expect(alertsStart).toBeDefined();
  expect(alertSections.map((h) => h.text).sort()).toEqual(alerts.map((a) => a.alert!).sort());
});

test("each alert's runbook_url is docs/operations.md with an anchor the runbook has", () => {
  for (const rule of alerts) {
    const [file, fragment] = rule.annotations!.runbook_url!.split('#') as [string, string];
    expect({ alert: rule.alert, file }).toEqual({ alert: rule.alert, file: 'docs/operations.md' });
    expect({ alert: rule.alert, fragment, exists: anchors.has(fragment) }).toEqual({ alert: rule.alert, fragment, exists: true });
    expect(anchor(rule.alert!)).toBe(fragment);
  }
});

test('each section says what it means, how to confirm it and what to do', () => {
  for (const rule of alerts) {
    const text = section(rule.alert!);
    for (const part of ['**Means.**', '**Confirm.**', '**Do.**']) {
      expect({ alert: rule.alert, part, present: text.includes(part) }).toEqual({ alert: rule.alert, part, present: true });
    }
  }
});

test('every link inside the runbook lands on one of its headings', () => {
  for (const [, target] of runbook.matchAll(/\]\(#([^)]+)\)/g)) {
    expect({ target, exists: anchors.has(target!) }).toEqual({ target, exists: true });
  }
});

test('the README links the runbook', () => {
  expect(readRepoFile('README.md')).toContain('[docs/operations.md](docs/operations.md)');
});
