/** The many-idle part of the report: summary row and section. */
import type { ManyIdleResult } from '../scenarios/many-idle';
import { count, ms, table } from './markdown';
import type { TargetRow } from './report-types';

/** Event-loop probe p99 on every node while holding (the capacity service level). */
export const MANY_IDLE_P99_MS = 50;

export function manyIdleTargets(r: ManyIdleResult): TargetRow[] {
  const worstP99 = Math.max(...r.nodes.map((n) => n.probeMs.p99));
  return [
    {
      scenario: 'many-idle',
      target: `${count(r.requested)} idle clients on ${r.nodes.length} nodes behind nginx (cluster.sh), each node under its open-file limit, probe p99 ≤ ${MANY_IDLE_P99_MS} ms on every node`,
      measured:
        `held ${count(r.held)} (${r.nodes.map((n) => count(n.connections)).join(' / ')}), connected in ${r.connectS} s; ` +
        `RSS per connection ${r.nodes.map((n) => `${n.kibPerConnection} KB`).join(' / ')}; probe p99 ${r.nodes.map((n) => ms(n.probeMs.p99)).join(' / ')}; ` +
        `Redis ${r.redis.usedMiB} MiB`,
      met:
        r.held >= r.requested &&
        r.nodes.every((n) => n.openFiles < n.openFileLimit) &&
        Number.isFinite(worstP99) &&
        worstP99 <= MANY_IDLE_P99_MS,
    },
  ];
}

export function manyIdleSection(r: ManyIdleResult): string[] {
  return [
    '## many-idle',
    '',
    `The deployment as it runs: \`deploy/cluster.sh up\` with ${r.nodes.length} nodes on one Redis, PostgreSQL, and nginx in front ` +
      `(${r.nginx.workers} workers of ${count(r.nginx.workerConnections)} connections, \`reuseport\`). ${count(r.requested)} idle ` +
      `WebSocket clients connect through nginx from ${r.sourceAddresses} loopback source addresses, one forked load generator each; ` +
      'nginx hashes a client address to a node, so every node gets the same number of addresses. RSS per connection: ' +
      '(VmRSS holding − VmRSS before any client) ÷ the node\'s own `parley_connections`. Probe: round trips of `GET /api/config` ' +
      `straight to each node every 10 ms for ${r.holdS} s while holding; "lag p99" is the node's own prom-client ` +
      '`nodejs_eventloop_lag_p99_seconds`.',
    '',
    table(
      ['node', 'connections', 'RSS before', 'RSS holding', 'RSS / connection', 'probe p50', 'probe p99', 'probe max', 'lag p99', 'open files / limit'],
      r.nodes.map((n) => [
        n.node,
        count(n.connections),
        `${n.rssBeforeMiB} MiB`,
        `${n.rssMiB} MiB`,
        `${n.kibPerConnection} KB`,
        ms(n.probeMs.p50),
        ms(n.probeMs.p99),
        ms(n.probeMs.max),
        ms(n.lagP99Ms),
        `${count(n.openFiles)} / ${count(n.openFileLimit)}`,
      ]),
    ),
    '',
    `Held ${count(r.held)} of ${count(r.requested)} (${count(r.failed)} failed to connect after ${r.retried === undefined ? 'no retry' : `retries: ${count(r.retried)} attempts made again`}), connected in ${r.connectS} s. ` +
      (r.failureReasons && Object.keys(r.failureReasons).length > 0
        ? `Failed attempts by reason: ${Object.entries(r.failureReasons).sort((a, b) => b[1] - a[1]).map(([why, n]) => `${count(n)} × ${why}`).join('; ')}. `
        : '') +
      `Redis used_memory ${r.redis.usedBeforeMiB} → ${r.redis.usedMiB} MiB (${count(r.redis.bytesPerConnection)} bytes per connection), RSS ${r.redis.rssMiB} MiB. ` +
      `Busiest nginx worker: ${count(r.nginx.busiestWorkerFiles)} open files.`,
    '',
    `Open-file limits: soft ${count(r.limits.openFileSoft)}, hard ${count(r.limits.openFileHard)}. ` +
      `Raised: ${r.limits.raised.length ? r.limits.raised.join('; ') : 'nothing needed'}. ` +
      `Not raised: ${r.limits.notRaised.length ? r.limits.notRaised.join('; ') : 'nothing'}.`,
    '',
  ];
}
