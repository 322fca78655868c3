import { acceptsAnyone, eligibleAt, judge, rankCandidates, type MatchPolicy } from '../../src/matchmaking/eligibility';
import type { Candidate } from '../../src/store/match-store';
import { candidateAt } from '../helpers/candidates';

const policy: MatchPolicy = { rematchWindowMs: 1000, randomFallbackMs: 500 };
const NOW = 10_000;
const seeker = { userId: 's', interests: ['chess', 'go'], since: NOW };
const candidate = (over: Partial<Candidate>): Candidate => candidateAt(NOW, over);

test('nobody is paired with itself, a blocked user, a user in cooldown or a recent partner', () => {
  const shared = { interests: ['chess'] };
  expect(judge(seeker, candidate({ ...shared, userId: 's' }), NOW, policy)).toBeNull();
  expect(judge(seeker, candidate({ ...shared, blockedUntil: NOW + 1 }), NOW, policy)).toBeNull();
  expect(judge(seeker, candidate({ ...shared, cooldownUntil: NOW + 1 }), NOW, policy)).toBeNull();
  expect(judge(seeker, candidate({ ...shared, lastChatAt: NOW - 999 }), NOW, policy)).toBeNull();
  expect(judge(seeker, candidate({ ...shared, lastChatAt: NOW - 1000 }), NOW, policy)).toEqual(['chess']);
});

test('interests must overlap until both sides passed their fallback', () => {
  const stranger = candidate({ interests: ['knitting'], since: NOW - 600 });
  expect(judge(seeker, stranger, NOW, policy)).toBeNull();
  expect(judge(seeker, stranger, NOW + 500, policy)).toEqual([]);
  // A seeker without interests takes an interest-holder only once that one is past its fallback.
  const open = { userId: 'o', interests: [], since: NOW };
  expect(judge(open, candidate({ interests: ['x'], since: NOW - 100 }), NOW, policy)).toBeNull();
  expect(judge(open, candidate({ interests: ['x'], since: NOW - 500 }), NOW, policy)).toEqual([]);
  expect(judge(open, candidate({ interests: [] }), NOW, policy)).toEqual([]);
});

test('acceptsAnyone: no interests, or waited the fallback', () => {
  expect(acceptsAnyone([], NOW, NOW, policy)).toBe(true);
  expect(acceptsAnyone(['a'], NOW, NOW + 499, policy)).toBe(false);
  expect(acceptsAnyone(['a'], NOW, NOW + 500, policy)).toBe(true);
});

test('more shared interests win, then the longest waiting, then chance', () => {
  const ranked = rankCandidates(
    seeker,
    [
      candidate({ userId: 'one-new', interests: ['chess'], since: NOW - 1000 }),
      candidate({ userId: 'two', interests: ['go', 'chess'], since: NOW - 5 }),
      candidate({ userId: 'one-old', interests: ['go'], since: NOW - 2000 }),
      candidate({ userId: 'none', interests: ['x'], since: NOW - 900 }),
    ],
    NOW,
    policy,
  );
  expect(ranked.map((c) => c.userId)).toEqual(['two', 'one-old', 'one-new']);
  expect(ranked[0]!.common).toEqual(['chess', 'go']);

  const tie = [candidate({ userId: 'x', since: 1 }), candidate({ userId: 'y', since: 1 })];
  const open = { userId: 'o', interests: [], since: NOW };
  expect(rankCandidates(open, tie, NOW, policy, () => 0.5).map((c) => c.userId)).toHaveLength(2);
  let flip = 0;
  const coin = () => (flip++ % 2 === 0 ? 0.9 : 0.1);
  expect(rankCandidates(open, tie, NOW, policy, coin).map((c) => c.userId)).toEqual(['y', 'x']);
});

test('among equals, a candidate connected to this node goes first', () => {
  const open = { userId: 'o', interests: [], since: NOW };
  const equals = [candidate({ userId: 'there', node: 'n2' }), candidate({ userId: 'here', node: 'n1' })];
  for (const coin of [() => 0.1, () => 0.9]) {
    expect(rankCandidates(open, equals, NOW, policy, coin, 'n1').map((c) => c.userId)).toEqual(['here', 'there']);
  }
  // Waiting longer still beats being local.
  const older = [candidate({ userId: 'here', node: 'n1' }), candidate({ userId: 'there', node: 'n2', since: NOW - 5000 })];
  expect(rankCandidates(open, older, NOW, policy, Math.random, 'n1').map((c) => c.userId)).toEqual(['there', 'here']);
});

test('waits are compared to the second: waiters of the same second are drawn at random', () => {
  const open = { userId: 'o', interests: [], since: NOW };
  const sameSecond = [candidate({ userId: 'early', since: NOW - 990 }), candidate({ userId: 'late', since: NOW - 10 })];
  let flip = 0;
  const coin = () => (flip++ % 2 === 0 ? 0.9 : 0.1);
  expect(rankCandidates(open, sameSecond, NOW, policy, coin).map((c) => c.userId)).toEqual(['late', 'early']);
  const secondApart = [candidate({ userId: 'early', since: NOW - 1010 }), candidate({ userId: 'late', since: NOW - 10 })];
  flip = 0;
  expect(rankCandidates(open, secondApart, NOW, policy, coin).map((c) => c.userId)).toEqual(['early', 'late']);
});

test('seekers of two modes are never paired, whatever else they share, and time never brings them together', () => {
  const video = { ...seeker, mode: 'video' as const };
  const textMate = candidate({ interests: ['chess'] });
  const videoMate = candidate({ userId: 'v', interests: ['chess'], mode: 'video' });
  expect(judge(video, textMate, NOW, policy)).toBeNull();
  expect(judge(seeker, videoMate, NOW, policy)).toBeNull();
  expect(judge(video, videoMate, NOW, policy)).toEqual(['chess']);
  expect(judge(seeker, textMate, NOW, policy)).toEqual(['chess']);
  expect(eligibleAt(video, textMate, policy)).toBeNull();
  expect(rankCandidates(video, [textMate, videoMate], NOW, policy).map((c) => c.userId)).toEqual([videoMate.userId]);
});
