/**
 * Pairing by language, observed through real clients on three nodes that
 * share one Redis: a shared primary language pairs, no shared language never
 * does (not after the interests' fallback either), interests rank within a
 * language, a rare language's speakers meet under a deep pool of others, and
 * `anyLanguageAfterMs` opens a lone speaker to anyone who accepts any language.
 */
import type { MatchedEvent, StatsResponse, WaitingEvent } from '../../src/protocol';
import type { RedisStore } from '../../src/store/redis/match-store';
import { connect, eventually, next, record, request } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';
import { ghostIds } from '../helpers/pool-seed';

const FALLBACK = 600;
const cluster = useCluster({
  MATCH_COOLDOWN_MS: '0',
  RANDOM_FALLBACK_MS: String(FALLBACK),
  REMATCH_WINDOW_MS: '600000',
  MATCH_RATE_LIMIT: '1000',
});

const on = (i: number) => connect(cluster.urls[i % 3]!);

test('a shared primary language pairs across nodes, and `waiting` names the languages', async () => {
  const [a, b] = await Promise.all([on(0), on(1)]);
  const waiting = next<WaitingEvent>(a, 'waiting');
  expect(await request(a, 'find-match', { languages: ['pt-br', 'EN'] })).toEqual({ ok: true, state: 'waiting' });
  expect(await waiting).toEqual({ interests: [], mode: 'text', languages: ['pt-BR', 'en'] });
  const matched = Promise.all([next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')]);
  await request(b, 'find-match', { languages: ['pt-PT'] });
  const [ea, eb] = await matched;
  expect(ea.roomId).toBe(eb.roomId);
});

test('a malformed language tag is refused before anything changes', async () => {
  const a = await on(2);
  expect(await request(a, 'find-match', { languages: ['en_US'] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  expect(await request(a, 'find-match', { languages: ['en', 'de', 'fr', 'es'] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  expect(await cluster.nodes[0]!.server.store.counts()).toMatchObject({ waiting: 0 });
});

test('no shared language never pairs, not after the interests fallback; interests rank within a language', async () => {
  const [deX, frX, esChess, itChess, esGo] = await Promise.all([on(0), on(1), on(2), on(0), on(1)]);
  const frMatched = record<MatchedEvent>(frX, 'matched');
  const itMatched = record<MatchedEvent>(itChess, 'matched');
  await request(deX, 'find-match', { interests: ['x'], languages: ['de'] });
  await request(frX, 'find-match', { interests: ['x'], languages: ['fr'] });
  await request(itChess, 'find-match', { interests: ['chess'], languages: ['it'] });
  await request(esGo, 'find-match', { interests: ['go'], languages: ['es'] });
  // A common interest pairs within the language at once, before the fallback.
  const esMatched = next<MatchedEvent>(esChess, 'matched');
  expect(await request(esChess, 'find-match', { interests: ['chess', 'go'], languages: ['es'] })).toEqual({ ok: true, state: 'matched' });
  expect((await esMatched).commonInterests).toEqual(['go']);

  // Past the fallback, a German without interests in common meets deX; frX, same interest, never.
  const late = await on(2);
  const lateMatched = next<MatchedEvent>(late, 'matched');
  const deMatched = next<MatchedEvent>(deX, 'matched');
  await request(late, 'find-match', { interests: ['y'], languages: ['de-AT'] });
  const [el, ed] = await Promise.all([lateMatched, deMatched]);
  expect(el.roomId).toBe(ed.roomId);
  expect(el.commonInterests).toEqual([]);
  expect(Date.now() - (await firstSeen(frX))).toBeGreaterThanOrEqual(FALLBACK);
  // The fallback has run for frX and itChess too, and they are still waiting, alone in their languages.
  const waiting = await cluster.nodes[0]!.server.store.waitingByLanguage();
  expect(waiting).toEqual({ fr: 1, it: 1 });
  expect(frMatched).toHaveLength(0);
  expect(itMatched).toHaveLength(0);
});

/** When a client's search started, as the store holds it. */
async function firstSeen(client: Awaited<ReturnType<typeof on>>): Promise<number> {
  return (await cluster.nodes[0]!.server.store.getUser(client.session.userId)).since!;
}

test('two speakers of a rare language meet under a deep pool of 300 waiters of other languages', async () => {
  const store = cluster.nodes[0]!.server.store as RedisStore;
  const ghosts = ghostIds(300);
  const languages = [['en'], ['es', 'en'], ['hi'], []];
  const now = Date.now();
  try {
    for (const [i, id] of ghosts.entries()) {
      const spoken = languages[i % languages.length]!;
      await store.enqueue(id, [], now - 1000 + i, spoken.length ? { languages: spoken, anyLanguageAfterMs: 0 } : undefined);
      await store.activate(id, now - 1000 + i, true, true);
    }
    const [a, b] = await Promise.all([on(1), on(2)]);
    const matched = Promise.all([next<MatchedEvent>(a, 'matched'), next<MatchedEvent>(b, 'matched')]);
    expect(await request(a, 'find-match', { languages: ['yo'] })).toEqual({ ok: true, state: 'waiting' });
    await request(b, 'find-match', { languages: ['yo-NG'] });
    const [ea, eb] = await matched;
    expect(ea.roomId).toBe(eb.roomId);
    const stats = (await (await fetch(`${cluster.urls[0]}/stats`)).json()) as StatsResponse;
    expect(stats.waitingByLanguage).toMatchObject({ en: 150, es: 75, hi: 75, any: 75, other: 0 });
  } finally {
    for (const id of ghosts) await store.disconnect({ userId: id, sid: 'ghost', now: Date.now(), cooldownMs: 0, graceMs: 0 });
  }
}, 60_000);

test('anyLanguageAfterMs lets a lone speaker meet someone who accepts any language, once it has waited that long', async () => {
  const [sw, ko, bot] = await Promise.all([on(0), on(1), on(2)]);
  const koMatched = record<MatchedEvent>(ko, 'matched');
  await request(ko, 'find-match', { languages: ['ko'] });
  const waiting = next<WaitingEvent>(sw, 'waiting');
  const startedAt = Date.now();
  await request(sw, 'find-match', { languages: ['sw'], anyLanguageAfterMs: 500 });
  expect(await waiting).toEqual({ interests: [], mode: 'text', languages: ['sw'], anyLanguageAfterMs: 500 });
  const metrics = await (await fetch(`${cluster.urls[1]}/metrics`)).text();
  expect(metrics).toMatch(/parley_waiting_users_by_language\{language="sw",node_id="[^"]+"\} 1/);
  // A client without languages accepts any language: it meets sw, not ko.
  const matched = Promise.all([next<MatchedEvent>(sw, 'matched'), next<MatchedEvent>(bot, 'matched')]);
  await request(bot, 'find-match', {});
  const [es, eb] = await matched;
  expect(es.roomId).toBe(eb.roomId);
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(500);
  await eventually(async () => expect(await cluster.nodes[0]!.server.store.waitingByLanguage()).toEqual({ ko: 1 }));
  expect(koMatched).toHaveLength(0);
});
