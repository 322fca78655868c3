/** The direct-message part of the report (dm): summary rows and section. */
import type { DmResult } from '../scenarios/dm';
import { count, ms, table } from './markdown';
import type { TargetRow } from './report-types';

/** dm target: ack and one-way p99 within this, nothing lost. */
export const DM_P99_MS = 50;

const rejections = (by: Record<string, number> | undefined): string =>
  by && Object.keys(by).length ? ` (${Object.entries(by).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';

export function dmTargets(d: DmResult): TargetRow[] {
  const l = d.live;
  const o = d.offline;
  return [
    {
      scenario: 'dm',
      target: `${count(l.users)} users × ${l.contactsPerUser} contacts on ${l.nodes} nodes, ${l.ratePerSecond} DM/s: ack p99 and delivery p99 ≤ ${DM_P99_MS} ms, 0 lost`,
      measured: `ack p99 ${ms(l.ackMs.p99)} (p50 ${ms(l.ackMs.p50)}), delivery p99 ${ms(l.oneWayMs.p99)} (p50 ${ms(l.oneWayMs.p50)}); ${l.lost} lost, ${l.duplicated} dup of ${count(l.acked)}${l.rejected ? `; ${l.rejected} rejected${rejections(l.rejectedBy)}` : ''}`,
      met: l.ackMs.p99 <= DM_P99_MS && l.oneWayMs.p99 <= DM_P99_MS && l.lost === 0 && l.duplicated === 0 && l.rejected === 0,
    },
    {
      scenario: 'dm',
      target: `${count(o.queued)} DMs queued for ${o.offlineUsers} offline users: all read back on reconnect, 0 lost`,
      measured: `all in ${o.allDeliveredS} s (per user p99 ${ms(o.perUserMs.p99)}); ${o.lost} lost`,
      met: o.lost === 0,
    },
  ];
}

export function dmSection(d: DmResult): string[] {
  const l = d.live;
  const o = d.offline;
  return [
    '## dm',
    '',
    `${count(l.users)} users online over ${l.nodes} nodes (Redis adapter, PostgreSQL store), ${l.contactsPerUser} contacts each ` +
      `(seeded straight into PostgreSQL in ${d.setupS} s with the connections). Each DM goes from a random user to a random contact ` +
      'of its; it is acknowledged once its row is in PostgreSQL, then delivered through the recipient\'s per-user room. ' +
      'Nodes run with `DM_RATE_LIMIT` raised to 1,000,000 (one load generator speaks for every user).',
    '',
    table(
      ['phase', 'offered', 'acked', 'ack p50', 'ack p99', 'delivery p50', 'delivery p99', 'delivery max', 'lost', 'dup', 'rejected'],
      [[`live ${l.seconds} s`, `${l.ratePerSecond}/s`, count(l.acked), ms(l.ackMs.p50), ms(l.ackMs.p99), ms(l.oneWayMs.p50), ms(l.oneWayMs.p99), ms(l.oneWayMs.max), l.lost, l.duplicated, `${l.rejected}${rejections(l.rejectedBy)}`]],
    ),
    '',
    `Offline: ${o.offlineUsers} users disconnect, their contacts queue ${count(o.queued)} DMs for them (every one acked), then all ` +
      'reconnect at once on another node and page `dm-history` (100 per page) until they hold every unread message.',
    '',
    table(
      ['queued', 'read back', 'lost', 'all read back in', 'per user p50', 'per user p99'],
      [[count(o.queued), count(o.received), o.lost, `${o.allDeliveredS} s`, ms(o.perUserMs.p50), ms(o.perUserMs.p99)]],
    ),
    '',
  ];
}
