/**
 * The behaviour every ModerationStore must have, run against memory and
 * PostgreSQL by the moderation-*.test.ts files beside this one.
 */
import type { BanRecord, ModerationStore, ReportRecord } from '../../src/store/moderation-store';

type Factory = () => Promise<{ store: ModerationStore; cleanup?: () => Promise<void> }>;

const T0 = 1_700_000_000_000;

export const report = (id: string, reporterId: string, targetId: string, extra: Partial<ReportRecord> = {}): ReportRecord => ({
  id,
  reporterId,
  reporterIpHash: `net-${reporterId}`,
  targetId,
  kind: 'chat',
  context: { roomId: 'chat-1' },
  reason: 'spam',
  note: null,
  evidence: [
    { author: 'reported', text: 'buy now', sentAt: T0 },
    { author: 'reporter', text: 'no', sentAt: T0 + 1 },
  ],
  targetIpHash: 'h1',
  createdAt: T0,
  status: 'open',
  resolution: null,
  ...extra,
});

const ban = (id: string, subject: string, extra: Partial<BanRecord> = {}): BanRecord => ({
  id,
  kind: 'identity',
  subject,
  until: T0 + 1000,
  reason: 'spam',
  reportId: null,
  createdAt: T0,
  liftedAt: null,
  addressHash: null,
  ...extra,
});

export function describeModerationStoreContract(name: string, factory: Factory): void {
  describe(`${name} moderation store contract`, () => {
    let store: ModerationStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    test('a report is stored with its evidence; a second open report by the same reporter on the same identity is the first', async () => {
      expect(await store.addReport(report('r1', 'a', 'x'))).toEqual({ created: true, id: 'r1' });
      expect(await store.addReport(report('r2', 'a', 'x', { reason: 'hate' }))).toEqual({ created: false, id: 'r1' });
      expect(await store.addReport(report('r3', 'b', 'x', { createdAt: T0 + 5 }))).toEqual({ created: true, id: 'r3' });
      expect(await store.getReport('r1')).toEqual(report('r1', 'a', 'x'));
      expect(await store.getReport('nope')).toBeNull();
      expect((await store.listReports('open', 10)).map((r) => r.id)).toEqual(['r1', 'r3']);
      expect((await store.reportsAgainst('x', 10)).map((r) => r.id)).toEqual(['r3', 'r1']);
    });

    test('a still frame is kept with its report, read on its own, and deleted with the report', async () => {
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
      expect(await store.addReport(report('f1', 'a', 'x', { createdAt: T0 - 1000 }), jpeg)).toEqual({ created: true, id: 'f1' });
      // A second open report by the same reporter keeps the first, and no second frame.
      expect(await store.addReport(report('f2', 'a', 'x'), Buffer.from([0xff, 0xd8, 0xff, 0, 0xff, 0xd9]))).toEqual({ created: false, id: 'f1' });
      await store.addReport(report('plain', 'b', 'x'));
      expect(await store.getReport('f1')).toEqual({ ...report('f1', 'a', 'x', { createdAt: T0 - 1000 }), frame: true });
      expect(await store.getReport('plain')).toEqual(report('plain', 'b', 'x'));
      expect((await store.listReports('open', 10)).map((r) => [r.id, r.frame ?? false])).toEqual([['f1', true], ['plain', false]]);
      expect((await store.reportsAgainst('x', 10)).find((r) => r.id === 'f1')?.frame).toBe(true);
      expect(await store.reportFrame('f1')).toEqual(jpeg);
      expect(await store.reportFrame('plain')).toBeNull();
      expect(await store.reportFrame('f2')).toBeNull();
      // A record that claims a frame without bytes has none.
      await store.addReport(report('claims', 'c', 'x', { frame: true }));
      expect((await store.getReport('claims'))!.frame).toBeUndefined();
      expect(await store.purgeReports(T0)).toBe(1);
      expect(await store.reportFrame('f1')).toBeNull();
    });

    test("a report keeps the reporter's address hash; an identity ban keeps the banned identity's last address", async () => {
      await store.addReport(report('r1', 'a', 'x', { reporterIpHash: 'net-1' }));
      await store.addReport(report('r2', 'b', 'x', { reporterIpHash: null, createdAt: T0 + 1 }));
      expect((await store.reportsAgainst('x', 10)).map((r) => [r.id, r.reporterIpHash])).toEqual([
        ['r2', null],
        ['r1', 'net-1'],
      ]);
      await store.addBan(ban('b1', 'x', { addressHash: 'net-x' }));
      expect((await store.activeBans(T0)).map((b) => b.addressHash)).toEqual(['net-x']);
    });

    test('an identity standing: first seen once, latest address, messages counted up to the cap; retention and deletion remove it', async () => {
      expect(await store.standings(['a'])).toEqual([]);
      await store.noteIdentity('a', 'net-1', T0);
      await store.noteIdentity('a', 'net-2', T0 + 10);
      await store.noteMessages('a', 2, 5, T0 + 20);
      await store.noteMessages('a', 4, 5, T0 + 30);
      // Messages before any handshake was recorded still start a standing.
      await store.noteMessages('b', 9, 5, T0 + 40);
      expect(await store.standings(['a', 'b', 'nobody'])).toEqual(
        expect.arrayContaining([
          { userId: 'a', firstSeen: T0, messages: 5, lastIpHash: 'net-2', updatedAt: T0 + 30 },
          { userId: 'b', firstSeen: T0 + 40, messages: 5, lastIpHash: null, updatedAt: T0 + 40 },
        ]),
      );
      expect(await store.standings(['a', 'b', 'nobody'])).toHaveLength(2);
      expect(await store.purgeStandings(T0 + 35)).toBe(1);
      expect((await store.standings(['a', 'b'])).map((s) => s.userId)).toEqual(['b']);
      await store.forgetReporter('b');
      expect(await store.standings(['b'])).toEqual([]);
    });

    test('the review queue: how many reports are open and when the oldest came', async () => {
      expect(await store.reportQueue()).toEqual({ open: 0, oldestAt: null });
      await store.addReport(report('r1', 'a', 'x', { createdAt: T0 + 7 }));
      await store.addReport(report('r2', 'b', 'x', { createdAt: T0 + 3 }));
      await store.addReport(report('r3', 'a', 'x', { createdAt: T0 + 1 })); // the open r1 answers it
      expect(await store.reportQueue()).toEqual({ open: 2, oldestAt: T0 + 3 });
      await store.closeReports('r2', { action: 'dismiss', at: T0 + 9 }, false);
      expect(await store.reportQueue()).toEqual({ open: 1, oldestAt: T0 + 7 });
    });

    test('closing one report, or every open report of its target; a closed report frees the reporter to report again', async () => {
      await store.addReport(report('r1', 'a', 'x'));
      await store.addReport(report('r2', 'b', 'x', { createdAt: T0 + 1 }));
      await store.addReport(report('r3', 'c', 'y', { createdAt: T0 + 2 }));
      expect(await store.closeReports('r1', { action: 'dismiss', at: T0 + 10 }, false)).toBe(1);
      expect((await store.getReport('r1'))!).toMatchObject({ status: 'closed', resolution: { action: 'dismiss', at: T0 + 10 } });
      expect(await store.closeReports('r2', { action: 'ban', at: T0 + 20, banId: 'b1' }, true)).toBe(1);
      expect((await store.listReports('open', 10)).map((r) => r.id)).toEqual(['r3']);
      expect((await store.listReports('closed', 10)).map((r) => r.id)).toEqual(['r1', 'r2']);
      expect(await store.reportQueue()).toEqual({ open: 1, oldestAt: T0 + 2 });
      expect(await store.addReport(report('r4', 'a', 'x', { createdAt: T0 + 30 }))).toEqual({ created: true, id: 'r4' });
    });

    test('bans in force: not lifted and not over; suspensions until lifted', async () => {
      await store.addBan(ban('b1', 'u1'));
      await store.addBan(ban('b2', 'u2', { until: null, kind: 'ip', createdAt: T0 + 1 }));
      await store.addBan(ban('b3', 'u3', { until: T0 + 10 }));
      expect((await store.activeBans(T0 + 100)).map((b) => b.id)).toEqual(['b2', 'b1']);
      expect(await store.liftBan('b1', T0 + 200)).toBe(true);
      expect(await store.liftBan('b1', T0 + 300)).toBe(false);
      expect(await store.liftBan('zz', T0 + 300)).toBe(false);
      expect((await store.activeBans(T0 + 400)).map((b) => b.id)).toEqual(['b2']);
      expect((await store.bansOf(['u1', 'u3'])).map((b) => [b.id, b.liftedAt])).toEqual([
        ['b1', T0 + 200],
        ['b3', null],
      ]);
      await store.suspend('s1', T0);
      await store.suspend('s1', T0 + 5);
      await store.suspend('s2', T0);
      await store.unsuspend('s2');
      expect(await store.enforced(T0 + 400)).toEqual({ bans: [expect.objectContaining({ id: 'b2', until: null })], suspended: ['s1'] });
    });

    test('the audit log reads newest first', async () => {
      for (let i = 0; i < 3; i++) await store.audit({ at: T0 + i, action: `a${i}`, detail: { i }, actor: 'h' });
      expect(await store.auditLog(2)).toEqual([
        { at: T0 + 2, action: 'a2', detail: { i: 2 }, actor: 'h' },
        { at: T0 + 1, action: 'a1', detail: { i: 1 }, actor: 'h' },
      ]);
    });

    test('retention purges old reports; a deleted identity is forgotten as a reporter, each forgotten reporter distinct', async () => {
      await store.addReport(report('old', 'a', 'x', { createdAt: T0 - 1000 }));
      await store.addReport(report('r1', 'a', 'y'));
      await store.addReport(report('r2', 'b', 'y', { createdAt: T0 + 1 }));
      expect(await store.purgeReports(T0)).toBe(1);
      expect(await store.getReport('old')).toBeNull();
      await store.forgetReporter('a');
      await store.forgetReporter('b');
      expect((await store.getReport('r1'))!).toMatchObject({ reporterId: 'deleted:r1', reporterIpHash: null });
      expect(new Set((await store.reportsAgainst('y', 10)).map((r) => r.reporterId))).toEqual(new Set(['deleted:r1', 'deleted:r2']));
    });
  });
}
