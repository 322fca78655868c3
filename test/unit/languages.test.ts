import { eligibleAt, judge, rankCandidates, type MatchPolicy } from '../../src/matchmaking/eligibility';
import {
  acceptsAnyLanguage,
  canonicalLanguages,
  languageBuckets,
  languagesAllow,
  primaryLanguages,
} from '../../src/matchmaking/languages';
import { schemas } from '../../src/realtime/schemas';
import type { Candidate } from '../../src/store/match-store';
import { candidateAt } from '../helpers/candidates';

const policy: MatchPolicy = { rematchWindowMs: 1000, randomFallbackMs: 500 };
const NOW = 10_000;
const candidate = (over: Partial<Candidate>): Candidate => candidateAt(NOW, over);

test('tags are canonicalised and de-duplicated; they are compared by primary language', () => {
  expect(canonicalLanguages(['EN-us', 'en-US', 'pt-br'])).toEqual(['en-US', 'pt-BR']);
  expect(primaryLanguages(['pt-BR', 'pt-PT', 'zh-Hant-TW', 'de'])).toEqual(['pt', 'zh', 'de']);
  expect(() => canonicalLanguages(['en_US'])).toThrow(RangeError);
});

test('find-match takes 1–3 well-formed tags and a bounded anyLanguageAfterMs', () => {
  const parse = (payload: unknown) => schemas['find-match'].safeParse(payload);
  expect(parse({ languages: ['DE', 'de', 'pt-br'], anyLanguageAfterMs: 20_000 })).toMatchObject({
    success: true,
    data: { languages: ['de', 'pt-BR'], anyLanguageAfterMs: 20_000 },
  });
  expect(parse({}).success).toBe(true);
  for (const bad of [
    { languages: [] },
    { languages: ['en', 'de', 'fr', 'es'] },
    { languages: ['not a tag'] },
    { languages: ['x-private'] },
    { languages: 'en' },
    { languages: ['en'], anyLanguageAfterMs: -1 },
    { languages: ['en'], anyLanguageAfterMs: 1.5 },
    { languages: ['en'], anyLanguageAfterMs: 86_400_001 },
  ]) {
    expect(parse(bad).success).toBe(false);
  }
  expect(schemas['next-match'].safeParse({ languages: ['es-419'] })).toMatchObject({ success: true, data: { languages: ['es-419'] } });
});

test('a shared primary language allows the pair; otherwise both must accept any language by now', () => {
  const pt = { languages: ['pt'], since: NOW };
  expect(languagesAllow(pt, { languages: ['en', 'pt'], since: NOW }, NOW)).toBe(true);
  expect(languagesAllow(pt, { languages: ['es'], since: NOW }, NOW)).toBe(false);
  // Without languages: any language at once, but only with someone who accepts any too.
  expect(languagesAllow({ since: NOW }, { languages: [], since: NOW }, NOW)).toBe(true);
  expect(languagesAllow({ since: NOW }, pt, NOW + 1_000_000)).toBe(false);
  const patient = { languages: ['sw'], anyLanguageAfterMs: 300, since: NOW };
  expect(acceptsAnyLanguage(patient, NOW + 299)).toBe(false);
  expect(acceptsAnyLanguage(patient, NOW + 300)).toBe(true);
  expect(languagesAllow(patient, { since: NOW }, NOW + 299)).toBe(false);
  expect(languagesAllow(patient, { since: NOW }, NOW + 300)).toBe(true);
  expect(languagesAllow(patient, { languages: ['ja'], anyLanguageAfterMs: 0, since: NOW + 200 }, NOW + 300)).toBe(true);
});

test('the language rule is hard: interests, their fallback and ranking work within it', () => {
  const seeker = { userId: 's', interests: ['chess'], since: NOW - 600, languages: ['de'] };
  // A common interest does not pair strangers without a common language, even past every fallback.
  expect(judge(seeker, candidate({ interests: ['chess'], languages: ['fr'], since: NOW - 600 }), NOW, policy)).toBeNull();
  expect(judge(seeker, candidate({ interests: ['go'], since: NOW - 600 }), NOW, policy)).toBeNull();
  expect(judge(seeker, candidate({ interests: ['chess'], languages: ['de'] }), NOW, policy)).toEqual(['chess']);
  // The random fallback stays within the language.
  expect(judge(seeker, candidate({ interests: ['go'], languages: ['de'], since: NOW - 600 }), NOW, policy)).toEqual([]);
  const ranked = rankCandidates(
    seeker,
    [
      candidate({ userId: 'fr', interests: ['chess'], languages: ['fr'], since: NOW - 900 }),
      candidate({ userId: 'de-go', interests: ['go'], languages: ['de'], since: NOW - 900 }),
      candidate({ userId: 'de-chess', interests: ['chess'], languages: ['en', 'de'], since: NOW - 10 }),
    ],
    NOW,
    policy,
  );
  expect(ranked.map((c) => c.userId)).toEqual(['de-chess', 'de-go']);
});

test('eligibleAt waits for both to accept any language, and never comes when one never will', () => {
  const seeker = { userId: 's', interests: [], since: NOW, languages: ['de'], anyLanguageAfterMs: 2000 };
  expect(eligibleAt(seeker, candidate({ languages: ['fr'], anyLanguageAfterMs: 500 }), policy)).toBe(NOW + 2000);
  expect(eligibleAt(seeker, candidate({}), policy)).toBe(NOW + 2000);
  expect(eligibleAt(seeker, candidate({ languages: ['fr'] }), policy)).toBeNull();
  expect(eligibleAt({ ...seeker, anyLanguageAfterMs: undefined }, candidate({}), policy)).toBeNull();
  expect(eligibleAt(seeker, candidate({ languages: ['de'], cooldownUntil: NOW + 5 }), policy)).toBe(NOW + 5);
});

test('counts per language: the 20 most common by name, the rest as "other", no languages as "any"', () => {
  const counts: Record<string, number> = { '*': 4 };
  for (let i = 0; i < 25; i++) counts[`l${String.fromCharCode(97 + i)}`] = 100 - i;
  counts.other = 1000;
  const buckets = languageBuckets(counts, '*');
  expect(Object.keys(buckets)).toHaveLength(22);
  expect(buckets.any).toBe(4);
  expect(buckets.la).toBe(100);
  expect(buckets.lt).toBe(81);
  expect(buckets.lu).toBeUndefined();
  // The five past the 20, and a language subtag spelled like a bucket's name.
  expect(buckets.other).toBe(80 + 79 + 78 + 77 + 76 + 1000);
  expect(languageBuckets({}, '*')).toEqual({ any: 0, other: 0 });
});
