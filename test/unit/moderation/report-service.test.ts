/**
 * Automatic suspension needs independent reporters: established identities
 * (old enough, active enough) counted once per address; a suspension whose
 * reporters later turn out to share an address is lifted and audited.
 */
import { ClientError } from '../../../src/errors';
import { judgeReporters } from '../../../src/moderation/independence';
import { ReportService } from '../../../src/moderation/report-service';
import { MemoryModerationStore } from '../../../src/store/memory/moderation-store';

const MIN = 60_000;
const policy = { reportSuspendThreshold: 3, reportRetentionDays: 90, reportMinIdentityAgeMs: 15 * MIN, reportMinIdentityMessages: 5 };
const payload = { target: { kind: 'room' as const, code: 'lobby', seq: 1 }, reason: 'spam' as const };

function setup(spendAddress: (ipHash: string) => Promise<void> = async () => undefined) {
  let now = 1_700_000_000_000;
  let ids = 0;
  const store = new MemoryModerationStore();
  const suspended: string[] = [];
  const unsuspended: string[] = [];
  const reports = new ReportService(
    {
      store,
      clock: { now: () => now },
      newId: () => `r${++ids}`,
      evidence: async () => ({ targetId: 'victim', context: { code: 'lobby', seq: 1 }, evidence: [] }),
      addressOf: async () => 'net-victim',
      spendAddress,
      onSuspended: (id) => suspended.push(id),
      onUnsuspended: (id) => unsuspended.push(id),
    },
    policy,
  );
  /** An identity first seen now at `address`, which then sends `messages` messages. */
  const identity = async (userId: string, address: string, messages: number) => {
    await reports.connected(userId, address);
    for (let i = 0; i < messages; i++) await reports.sent(userId);
    return { userId, ipHash: address };
  };
  return { store, reports, suspended, unsuspended, identity, advance: (ms: number) => (now += ms) };
}

test('three throwaway identities (seconds old, silent) do not suspend anyone, even from three addresses', async () => {
  const { reports, suspended, identity, store } = setup();
  const reporters = [await identity('a', 'net-1', 0), await identity('b', 'net-2', 0), await identity('c', 'net-3', 0)];
  for (const r of reporters) await reports.report(r, payload);
  expect(suspended).toEqual([]);
  expect((await store.enforced(0)).suspended).toEqual([]);
  expect(await reports.judge('victim')).toEqual({ reporters: 3, addresses: 3, people: 3, independent: 0 });
});

test('three established identities on one address count as one reporter', async () => {
  const { reports, suspended, identity, advance } = setup();
  const reporters = [await identity('a', 'net-1', 5), await identity('b', 'net-1', 5), await identity('c', 'net-1', 5)];
  advance(15 * MIN);
  for (const r of reporters) await reports.report(r, payload);
  expect(suspended).toEqual([]);
  expect(await reports.judge('victim')).toEqual({ reporters: 3, addresses: 1, people: 1, independent: 1 });
});

test('three established identities on three addresses suspend; too young or too quiet ones do not count', async () => {
  const { reports, suspended, identity, advance } = setup();
  const young = await identity('young', 'net-9', 5);
  advance(5 * MIN);
  const [a, b] = [await identity('a', 'net-1', 5), await identity('b', 'net-2', 5)];
  const quiet = await identity('quiet', 'net-8', 4);
  advance(15 * MIN);
  const c = await identity('c', 'net-3', 5);
  // `c` is first seen now: not yet established.
  for (const r of [a, b, quiet, c]) await reports.report(r, payload);
  expect(suspended).toEqual([]);
  expect((await reports.judge('victim')).independent).toBe(3 - 1);
  await reports.report(young, payload);
  expect(suspended).toEqual(['victim']);
});

test('a suspension whose reporters later connect from one address is lifted by review, and audited', async () => {
  const { reports, store, suspended, unsuspended, identity, advance } = setup();
  const reporters = [await identity('a', 'net-1', 5), await identity('b', 'net-2', 5), await identity('c', 'net-3', 5)];
  advance(16 * MIN);
  for (const r of reporters) await reports.report(r, payload);
  expect(suspended).toEqual(['victim']);
  expect(await reports.review()).toEqual([]);
  // `c` shows up on `a`'s address: `a` and `c` are one person.
  await reports.connected('c', 'net-1');
  expect(await reports.review()).toEqual(['victim']);
  expect(unsuspended).toEqual(['victim']);
  expect((await store.enforced(0)).suspended).toEqual([]);
  const [entry] = await store.auditLog(1);
  expect(entry).toMatchObject({ action: 'suspension.lift', actor: 'system', detail: { targetId: 'victim', reporters: 3, independent: 2 } });
  // Reviewed again: nothing left to lift, nothing audited twice.
  expect(await reports.review()).toEqual([]);
  expect(await store.auditLog(10)).toHaveLength(1);
});

test("each report spends the reporter's address budget first; a spent budget refuses the report", async () => {
  const spent: string[] = [];
  const { reports, store } = setup(async (ipHash) => {
    spent.push(ipHash);
    if (spent.length > 1) throw new ClientError('RATE_LIMITED');
  });
  await reports.report({ userId: 'a', ipHash: 'net-1' }, payload);
  await expect(reports.report({ userId: 'b', ipHash: 'net-1' }, payload)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  expect(spent).toEqual(['net-1', 'net-1']);
  expect((await store.reportsAgainst('victim', 10)).map((r) => [r.reporterId, r.reporterIpHash])).toEqual([['a', 'net-1']]);
});

test('judgeReporters links reporters through any shared address, transitively', () => {
  const base = { targetId: 'v', kind: 'chat' as const, context: {}, reason: 'spam' as const, note: null, evidence: [], targetIpHash: null, createdAt: 100 * MIN, status: 'open' as const, resolution: null };
  const reports = [
    { ...base, id: '1', reporterId: 'a', reporterIpHash: 'n1' },
    { ...base, id: '2', reporterId: 'b', reporterIpHash: 'n2' },
    { ...base, id: '3', reporterId: 'c', reporterIpHash: 'n3' },
    { ...base, id: '4', reporterId: 'd', reporterIpHash: null },
  ];
  const standing = (userId: string, lastIpHash: string | null) => ({ userId, firstSeen: 0, messages: 5, lastIpHash, updatedAt: 0 });
  // b's latest address is c's; a alone; d reported without an address and is known nowhere else.
  const judged = judgeReporters(reports, [standing('a', 'n1'), standing('b', 'n3'), standing('c', 'n3'), standing('d', null)], policy);
  expect(judged).toEqual({ reporters: 4, addresses: 4, people: 3, independent: 3 });
});

test('with no age or message rule, a reporter counts even before its standing is written', () => {
  const base = { targetId: 'v', kind: 'chat' as const, context: {}, reason: 'spam' as const, note: null, evidence: [], targetIpHash: null, createdAt: 100 * MIN, status: 'open' as const, resolution: null };
  const reports = [
    { ...base, id: '1', reporterId: 'a', reporterIpHash: 'n1' },
    { ...base, id: '2', reporterId: 'b', reporterIpHash: 'n2' },
  ];
  // The standing is written in the background at connect; a report may be judged first.
  expect(judgeReporters(reports, [], { reportMinIdentityAgeMs: 0, reportMinIdentityMessages: 0 }).independent).toBe(2);
  expect(judgeReporters(reports, [], { reportMinIdentityAgeMs: 0, reportMinIdentityMessages: 1 }).independent).toBe(0);
});
