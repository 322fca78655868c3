import { Ledger } from '../../bench/workload/ledger';
import { DEFAULT_MODEL, geometric, parseModel, pickInterests } from '../../bench/workload/model';
import { slope } from '../../bench/workload/probes';
import { Sink, type Report } from '../../bench/workload/sink';
import { judge } from '../../bench/scenarios/capacity';
import { perUserMinute } from '../../bench/workload/stand';

const FALLBACK = 5000;

function report(worker: number, fill: (r: Report) => void, at?: number): Report {
  const sink = new Sink(worker);
  fill(sink.report);
  const r = sink.take();
  if (at !== undefined) r.at = at;
  return r;
}

describe('workload model parameters', () => {
  it('overrides the defaults key by key', () => {
    const m = parseModel('thinkS=2,dmShare=0.2');
    expect(m).toEqual({ ...DEFAULT_MODEL, thinkS: 2, dmShare: 0.2 });
  });

  it('refuses unknown keys, negative numbers and shares above 1', () => {
    expect(() => parseModel('nope=1')).toThrow(/unknown workload key/);
    expect(() => parseModel('thinkS=-1')).toThrow(/≥ 0/);
    expect(() => parseModel('roomShare=1.5')).toThrow(/share/);
    expect(() => parseModel('roomShare=0.6,dmShare=0.6')).toThrow(/≤ 1/);
  });

  it('gives half the users 1–3 interests by default, and chats at least one message', () => {
    const picks = Array.from({ length: 4000 }, () => pickInterests(DEFAULT_MODEL));
    const withInterests = picks.filter((p) => p.length > 0);
    expect(withInterests.length / picks.length).toBeGreaterThan(0.45);
    expect(withInterests.length / picks.length).toBeLessThan(0.55);
    expect(Math.max(...withInterests.map((p) => p.length))).toBe(3);
    expect(Math.min(...Array.from({ length: 1000 }, () => geometric(3)))).toBe(1);
  });
});

describe('workload ledger', () => {
  it('measures the pairing wait from when both users could be paired', () => {
    const ledger = new Ledger();
    // a searched at 1000 without interests, b at 1400 without: paired, heard at 1450 and 1460.
    expect(ledger.add(report(0, (r) => r.matched.push(['r1', 'a', 1450, 1000, 0, 0])), FALLBACK)).toEqual([]);
    expect(ledger.add(report(1, (r) => r.matched.push(['r1', 'b', 1460, 1400, 0, 0])), FALLBACK)).toEqual([60]);
    // c has interests, d none, nothing in common: c is available to d only after its fallback.
    ledger.add(report(0, (r) => r.matched.push(['r2', 'c', 6100, 1000, 2, 0])), FALLBACK);
    expect(ledger.add(report(1, (r) => r.matched.push(['r2', 'd', 6050, 2000, 0, 0])), FALLBACK)).toEqual([100]);
    // A resume does not count as a search.
    ledger.add(report(0, (r) => r.matched.push(['r3', 'e', 9000, -1, 0, 0])), FALLBACK);
    expect(ledger.add(report(1, (r) => r.matched.push(['r3', 'f', 9000, 8000, 0, 0])), FALLBACK)).toEqual([]);
  });

  it('finds a room announced to three users', () => {
    const ledger = new Ledger();
    ledger.add(report(0, (r) => r.matched.push(['r1', 'a', 1, 0, 0, 0], ['r1', 'b', 1, 0, 0, 0])), FALLBACK);
    ledger.add(report(1, (r) => r.matched.push(['r1', 'c', 2, 0, 0, 0])), FALLBACK);
    expect(ledger.violations['double match']).toBe(1);
  });

  it('judges a chat with the delivery checker once both users left it, and what is still open at the end', () => {
    const ledger = new Ledger();
    const chat = (id: string) => `chat:${id}`;
    ledger.add(report(0, (r) => {
      r.matched.push(['r1', 'a', 1000, 0, 0, 0], ['r1', 'b', 1000, 0, 0, 0], ['r2', 'c', 1000, 0, 0, 0], ['r2', 'd', 1000, 0, 0, 0]);
      r.delivery.owed.push([chat('r1'), 'a', 0], [chat('r1'), 'b', 0], [chat('r2'), 'c', 0], [chat('r2'), 'd', 0]);
      r.delivery.sends.push(
        { stream: chat('r1'), sender: 'a', clientId: 'k1', ack: { id: 'm1', seq: 1 }, at: 2000 },
        { stream: chat('r1'), sender: 'a', clientId: 'k2', ack: { id: 'm2', seq: 2 }, at: 3000 },
        { stream: chat('r2'), sender: 'c', clientId: 'k3', ack: { id: 'm3', seq: 1 }, at: 2000 },
      );
      r.delivery.receipts.push({ recipient: 'b', stream: chat('r1'), id: 'm1', seq: 1, epoch: 'e', how: 'live', kept: true, at: 2010 });
      // b's closing sync said the chat held 2 messages; d left for good before m3.
      r.delivery.released.push([chat('r1'), 'b', 2, 'left'], [chat('r2'), 'd', 0, 'gone past the grace, never came back']);
      r.ended.push(['r1', 'a', 4000], ['r1', 'b', 2000]);
    }, 4100), FALLBACK);
    ledger.check(13_000);
    expect(ledger.total()).toBe(0); // b's end is dated when it went away, but was reported at 4100: its closing sync may still come
    ledger.check(20_000);
    expect(ledger.violations.lost).toBe(1);
    expect(ledger.examples).toEqual(['lost: m2 (seq 2) from a in chat:r1, acked at 3000, never kept by b']);
    ledger.check(30_000, true);
    expect(ledger.total()).toBe(1);
    expect(ledger.delivery.report.counts).toMatchObject({ acked: 3, owed: 2, notOwed: { 'gone past the grace, never came back': 1 } });
  });

  it('flags two users both waiting past the limit who never met, once', () => {
    const ledger = new Ledger();
    ledger.add(report(0, (r) => r.longWaiters.push(['a', 1000])), FALLBACK);
    ledger.add(report(1, (r) => r.longWaiters.push(['b', 1000])), FALLBACK);
    ledger.check(50_000);
    ledger.check(51_000);
    expect(ledger.violations['pair left waiting']).toBe(1);
  });

  it('lets two long waiters who already chatted wait', () => {
    const ledger = new Ledger();
    ledger.add(report(0, (r) => r.matched.push(['r1', 'a', 1, 0, 0, 0], ['r1', 'b', 1, 0, 0, 0])), FALLBACK);
    ledger.add(report(0, (r) => r.longWaiters.push(['a', 1000], ['b', 1000])), FALLBACK);
    ledger.check(50_000);
    expect(ledger.violations['pair left waiting']).toBe(0);
  });
});

describe('capacity service level and soak slope', () => {
  const summary = (p99: number) => ({ count: 10, p50: p99, p95: p99, p99, max: p99, mean: p99 });
  const figures = { waitMs: summary(200), oneWayMs: summary(20), lagP99Ms: 30, violations: 0 } as Parameters<typeof judge>[0];

  it('holds within every limit and names each one broken', () => {
    expect(judge(figures)).toEqual([]);
    expect(judge({ ...figures, waitMs: summary(1200), lagP99Ms: 80, violations: 2 })).toEqual([
      'pairing wait p99 1200 ms',
      'event-loop lag p99 80 ms',
      '2 invariant violation(s)',
    ]);
    // A window without a pair or a delivery broke, and says so without a figure it does not have.
    expect(judge({ ...figures, oneWayMs: { ...summary(NaN), count: 0 } })).toEqual(['no message delivered in the window']);
    expect(judge({ ...figures, waitMs: { ...summary(NaN), count: 0 } })).toEqual(['no pair made in the window']);
  });

  it('fits a least-squares slope', () => {
    expect(slope([0, 1, 2, 3], [5, 7, 9, 11])).toBeCloseTo(2);
    expect(slope([0, 1, 2], [4, 4, 4])).toBe(0);
    expect(slope([1], [1])).toBeNaN();
  });
});

describe('Redis commands per user per minute', () => {
  it('divides the window\'s command deltas by users and minutes, most first, leaving out commands not run', () => {
    const sample = (commands: number, by: Record<string, number>) => ({ redisUsedMiB: 0, redisKeys: 0, pgSizeMiB: 0, pgCommits: 0, redisCommands: commands, redisByCommand: by });
    const before = sample(1000, { evalsha: 100, hget: 400, ping: 7 });
    const after = sample(1000 + 6000, { evalsha: 100 + 1500, hget: 400 + 4500, ping: 7 });
    // 100 users for 30 s: 50 user-minutes.
    expect(perUserMinute(after, before, 100, 30)).toEqual({ all: 120, byCommand: [['hget', 90], ['evalsha', 30]] });
    expect(perUserMinute(after, before, 0, 30)).toEqual({ all: 0, byCommand: [] });
  });
});
