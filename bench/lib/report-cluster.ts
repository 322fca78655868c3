/** The Redis Cluster part of the report (shard-spread, adapter-fan-in, redis-cluster): summary rows and sections. */
import { FAN_IN_LIMIT, type AdapterFanInResult } from '../scenarios/adapter-fan-in';
import type { RedisClusterResult } from '../scenarios/redis-cluster';
import { SPREAD_LIMIT, type ShardSpreadResult, type SpreadPhase } from '../scenarios/shard-spread';
import { count, ms, table } from './markdown';
import type { TargetRow } from './report-types';

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${Math.round(x * 100)} %`;
const KIND_LABEL: Record<SpreadPhase['kind'], string> = {
  idle: 'idle (1 s, background)',
  pairing: 'pairing',
  relay: 'one-to-one chat messages (relay)',
  room: 'topic-room messages',
  dm: 'direct messages',
};
const MESSAGE_KINDS: SpreadPhase['kind'][] = ['relay', 'room', 'dm'];
/** Issue 24's target for a topic-room message, all it costs on the cluster. */
const ROOM_MESSAGE_COMMANDS = 12;

/** The commands per unit by name, most first (those under 0.05 left out). */
const byCommand = (p: SpreadPhase): string =>
  Object.entries(p.perUnitByCommand ?? {})
    .filter(([, n]) => n >= 0.05)
    .map(([name, n]) => `${name.toUpperCase()} ${n}`)
    .join(', ');

export function shardSpreadTargets(s: ShardSpreadResult): TargetRow[] {
  const rows: TargetRow[] = s.phases
    .filter((p) => MESSAGE_KINDS.includes(p.kind))
    .map((p) => ({
      scenario: 'shard-spread',
      target: `${KIND_LABEL[p.kind]} on 3 masters: each within ±${SPREAD_LIMIT * 100} % of the mean`,
      measured: `${p.commands.map(count).join(' / ')} commands (${p.deviation.map(pct).join(' / ')}); {mm} master ${Math.round(p.mmShare * 100)} %${p.rejected ? `; ${p.rejected} rejected` : ''}`,
      met: p.maxDeviation <= SPREAD_LIMIT && p.rejected === 0,
    }));
  const room = s.phases.find((p) => p.kind === 'room');
  if (room) {
    rows.push({
      scenario: 'shard-spread',
      target: `a topic-room message costs ≤ ${ROOM_MESSAGE_COMMANDS} commands on the cluster (background included)`,
      measured: `${room.commandsPerUnit} per message: ${byCommand(room)}`,
      met: room.commandsPerUnit <= ROOM_MESSAGE_COMMANDS && room.rejected === 0,
    });
  }
  const pairing = s.phases.find((p) => p.kind === 'pairing');
  if (pairing) {
    rows.push({
      scenario: 'shard-spread',
      target: 'pairing: one slot ({mm}) by design, reported on its own',
      measured: `master :${s.mmMaster} runs ${Math.round(pairing.mmShare * 100)} % of ${count(pairing.commands.reduce((x, y) => x + y, 0))} commands (${pairing.commandsPerUnit} per pair)`,
      met: null,
    });
  }
  return rows;
}

export function shardSpreadSection(s: ShardSpreadResult): string[] {
  const head = s.masters.map((port) => `:${port}${port === s.mmMaster ? ' ({mm})' : ''}`);
  return [
    '## shard-spread',
    '',
    `A Redis Cluster of 3 masters and 3 replicas, ${s.nodes} nodes (sharded adapter, PostgreSQL store), ${count(s.users)} users. ` +
      'One kind of traffic per phase; per master, the commands it ran over the phase (`INFO commandstats` deltas, calls inside ' +
      'Lua scripts included) and its distance from the mean of the three. The idle phase is the background every phase carries ' +
      '(heartbeats, reaper). Target for message traffic: every master within ' +
      `±${SPREAD_LIMIT * 100} % of the mean. Pairing commits under the \`{mm}\` hash tag by design, so its master is named.`,
    '',
    table(
      ['traffic', 'units', ...head.map((h) => `commands on ${h}`), 'distance from the mean', 'commands / unit', 'share on {mm} master', 'rejected'],
      s.phases.map((p) => [
        KIND_LABEL[p.kind],
        p.kind === 'idle' ? '1 s' : count(p.units),
        ...p.commands.map(count),
        p.deviation.map(pct).join(' / '),
        p.kind === 'idle' ? '–' : p.commandsPerUnit,
        `${Math.round(p.mmShare * 100)} %`,
        p.rejected ? `${p.rejected} (${Object.entries(p.rejectedBy ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')})` : 0,
      ]),
    ),
    '',
    'Commands per unit by name (all masters; EVALSHA counts each script run, the commands inside it count on their own):',
    '',
    table(
      ['traffic', 'commands / unit by name'],
      s.phases.filter((p) => p.kind !== 'idle').map((p) => [KIND_LABEL[p.kind], byCommand(p)]),
    ),
    '',
  ];
}

export function adapterFanInTargets(f: AdapterFanInResult): TargetRow[] {
  const classic = f.runs.find((r) => r.backend === 'redis');
  const sharded = f.runs.find((r) => r.backend === 'cluster');
  const rows: TargetRow[] = [];
  if (classic) {
    rows.push({
      scenario: 'adapter-fan-in',
      target: `one Redis, classic adapter, ${f.nodes} nodes: about 1 pub/sub message per node per message relayed (reference)`,
      measured: `${classic.perNode.join(' / ')} (all nodes ${classic.total})`,
      met: null,
    });
  }
  if (sharded) {
    rows.push({
      scenario: 'adapter-fan-in',
      target: `Redis Cluster, sharded adapter, ${f.nodes} nodes: ≤ ${FAN_IN_LIMIT} pub/sub messages received per message relayed, all nodes together`,
      measured: `${sharded.total} (${sharded.perNode.join(' / ')})${classic ? `; ×${(sharded.total / classic.total).toFixed(2)} of the classic adapter` : ''}; ${sharded.lost} lost`,
      met: sharded.total <= FAN_IN_LIMIT && sharded.lost === 0,
    });
  }
  return rows;
}

export function adapterFanInSection(f: AdapterFanInResult): string[] {
  return [
    '## adapter-fan-in',
    '',
    `${f.nodes} nodes, pairs whose users sit on different nodes, ${f.ratePerPair} msg/s per pair for ${f.seconds} s, first on one ` +
      'Redis (classic `@socket.io/redis-adapter`), then on a Redis Cluster (`createShardedAdapter`, dynamic mode). Per node, the pub/sub ' +
      'messages its adapter received (`parley_adapter_messages_received_total` from its `/metrics`) over the phase ÷ messages relayed ' +
      '(delivered to their recipient).',
    '',
    table(
      ['Redis', 'pairs', 'relayed', 'lost', 'per node (node 1 / 2 / 3)', 'all nodes'],
      f.runs.map((r) => [r.backend === 'cluster' ? 'Redis Cluster, sharded adapter' : 'one Redis, classic adapter', r.pairs, count(r.relayed), r.lost, r.perNode.join(' / '), `**${r.total}**`]),
    ),
    '',
  ];
}

export function redisClusterTargets(c: RedisClusterResult): TargetRow[] {
  const b = c.burst;
  const f = c.fixed;
  return [
    {
      scenario: 'redis-cluster',
      target: `pair-burst, ${b.cluster.seekers} over 3 nodes on the Redis Cluster: 100 % paired, 0 integrity errors (p99 ratio to one Redis reported)`,
      measured: `${(b.cluster.pairedShare * 100).toFixed(1)} % paired, ${b.cluster.integrityErrors} errors; p99 ${ms(b.cluster.latencyMs.p99)} vs ${ms(b.redis.latencyMs.p99)} on one Redis (×${b.p99Ratio})`,
      met: b.cluster.pairedShare === 1 && b.cluster.integrityErrors === 0,
    },
    {
      scenario: 'redis-cluster',
      target: `relay, ${f.cluster.pairs} pairs × ${f.cluster.ratePerPair} msg/s across 2 nodes on the Redis Cluster: 0 lost/dup/reordered (p99 ratio reported)`,
      measured: `${f.cluster.lost}/${f.cluster.duplicated}/${f.cluster.reordered}, p99 ${ms(f.cluster.oneWayMs.p99)} vs ${ms(f.redis.oneWayMs.p99)} on one Redis (×${f.p99Ratio})`,
      met: f.cluster.lost === 0 && f.cluster.duplicated === 0 && f.cluster.reordered === 0 && f.cluster.rejected === 0,
    },
    {
      scenario: 'redis-cluster',
      target: 'relay saturation of 1 node, Redis Cluster ÷ one Redis (reported)',
      measured: `×${c.saturation.ratio} (median of ${c.saturation.rounds.length} round(s))`,
      met: null,
    },
  ];
}

export function redisClusterSection(c: RedisClusterResult): string[] {
  const b = c.burst;
  const f = c.fixed;
  const r = (x: number | null) => (x === null ? '–' : `×${x}`);
  return [
    '## redis-cluster',
    '',
    'pair-burst and relay (the same code as those scenarios) on one redis-server with the classic adapter and on a Redis Cluster ' +
      '(3 masters + 3 replicas) with the sharded adapter, one after the other in the same run; ratios are cluster ÷ one Redis. ' +
      'Redis commands count every master\'s `INFO commandstats`.',
    '',
    table(
      ['pair-burst over 3 nodes', 'seekers', 'paired', 'all paired after', 'p50', 'p99', 'max', 'integrity errors', 'Redis cmds / pair'],
      [
        ['one Redis', b.redis.seekers, `${(b.redis.pairedShare * 100).toFixed(1)} %`, ms(b.redis.allPairedMs), ms(b.redis.latencyMs.p50), ms(b.redis.latencyMs.p99), ms(b.redis.latencyMs.max), b.redis.integrityErrors, b.redis.redisCommandsPerPair],
        ['Redis Cluster', b.cluster.seekers, `${(b.cluster.pairedShare * 100).toFixed(1)} %`, ms(b.cluster.allPairedMs), ms(b.cluster.latencyMs.p50), ms(b.cluster.latencyMs.p99), ms(b.cluster.latencyMs.max), b.cluster.integrityErrors, b.cluster.redisCommandsPerPair],
        ['cluster ÷ one Redis', '', '', r(b.allPairedRatio), '', r(b.p99Ratio), '', '', ''],
      ],
    ),
    '',
    table(
      ['relay across 2 nodes', 'pairs × msg/s', 'sent', 'lost', 'dup', 'reordered', 'one-way p50', 'p99', 'max', 'ack p99', 'Redis cmds / msg'],
      [
        ...(['redis', 'cluster'] as const).map((k) => {
          const x = f[k];
          return [k === 'cluster' ? 'Redis Cluster' : 'one Redis', `${x.pairs} × ${x.ratePerPair}`, x.sent, x.lost, x.duplicated, x.reordered, ms(x.oneWayMs.p50), ms(x.oneWayMs.p99), ms(x.oneWayMs.max), ms(x.ackMs.p99), x.redisCommandsPerMessage];
        }),
        ['cluster ÷ one Redis', '', '', '', '', '', '', r(f.p99Ratio), '', '', ''],
      ],
    ),
    '',
    `Saturation: one node on each backend, ${c.saturation.pairs} pairs on it, both up and taking turns; Redis CPU counts all six servers of the cluster.`,
    '',
    table(
      ['round', 'one Redis msg/s', 'Redis CPU µs / msg', 'Redis Cluster msg/s', 'cluster CPU µs / msg', 'node CPU µs / msg (one / cluster)', 'cluster ÷ one Redis'],
      c.saturation.rounds.map((x, i) => [i + 1, x.redis.deliveredPerSecond, x.redis.redisCpuUsPerMessage, x.cluster.deliveredPerSecond, x.cluster.redisCpuUsPerMessage, `${x.redis.serverCpuUsPerMessage} / ${x.cluster.serverCpuUsPerMessage}`, x.ratio]),
    ),
    '',
    `Cluster ÷ one Redis, median round: **${c.saturation.ratio}**.`,
    '',
  ];
}
