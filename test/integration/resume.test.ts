/**
 * Resume after a blip: the chat waits RESUME_GRACE_MS for a user whose
 * connection dropped; coming back on any node picks it up with every message
 * it missed; otherwise the partner is told when the grace runs out.
 */
import type { MatchedEvent, MessageEvent, ResumedEvent } from '../../src/protocol';
import { connect, next, quietFor, record, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const GRACE = 1500;
const cluster = useCluster({ RESUME_GRACE_MS: String(GRACE), MATCH_COOLDOWN_MS: '0' });

async function pair(): Promise<[Client, Client, string]> {
  const a = await connect(cluster.urls[0]!);
  const b = await connect(cluster.urls[1]!);
  const matched = next<MatchedEvent>(a, 'matched');
  await request(a, 'find-match', { interests: ['tea'] });
  await request(b, 'find-match', { interests: ['tea'] });
  return [a, b, (await matched).roomId];
}

async function say(from: Client, text: string): Promise<string> {
  const r = await request<{ message: { id: string } }>(from, 'send-message', { text });
  if (!r.ok) throw new Error(r.error.code);
  return r.message.id;
}

test.each([
  ['the same node', 0],
  ['another node', 2],
])('a dropped user resumes on %s with every message it missed, in order', async (_label, nodeIndex) => {
  const [a, b, roomId] = await pair();
  const first = await say(a, 'before the blip');
  const seenByA = await say(b, 'seen by a');
  const away = next<{ roomId: string }>(b, 'partner-away');
  a.disconnect();
  expect(await away).toEqual({ roomId });

  // Messages sent while the partner is away are acknowledged...
  const whileAway = [await say(b, 'while away 1'), await say(b, 'while away 2')];
  const back = next<{ roomId: string }>(b, 'partner-back');
  const again = await connect(cluster.urls[nodeIndex]!, { token: a.session.token, lastSeenId: seenByA });
  expect(again.session.userId).toBe(a.session.userId);
  const resumed = await again.resumed;
  expect(await back).toEqual({ roomId });
  expect(resumed).toMatchObject({ roomId, commonInterests: ['tea'] });
  expect(resumed.missed.map((m) => [m.id, m.text, m.mine])).toEqual([
    [whileAway[0], 'while away 1', false],
    [whileAway[1], 'while away 2', false],
  ]);
  expect(first).not.toBe(seenByA);
});

test('lastSeenId picks the messages after it, both directions, marking the user’s own', async () => {
  const [a, b, roomId] = await pair();
  const m1 = await say(a, 'one');
  const m2 = await say(b, 'two');
  a.disconnect();
  await next(b, 'partner-away');
  const m3 = await say(b, 'three');
  const again = await connect(cluster.urls[1]!, { token: a.session.token, lastSeenId: m1 });
  const resumed = await again.resumed;
  expect(resumed.roomId).toBe(roomId);
  expect(resumed.missed.map((m) => [m.id, m.text, m.mine])).toEqual([
    [m2, 'two', false],
    [m3, 'three', false],
  ]);
  const all = await connect(cluster.urls[2]!, { token: a.session.token, lastSeenId: 'unknown-id' });
  expect((await all.resumed).missed.map((m) => [m.id, m.mine])).toEqual([
    [m1, true],
    [m2, false],
    [m3, false],
  ]);
  // The chat goes on after the resume.
  const got = next<MessageEvent>(b, 'message');
  await say(all, 'back again');
  expect((await got).text).toBe('back again');
});

test('when the grace runs out the partner hears "disconnected"; a waiting user leaves at once', async () => {
  const [a, b, roomId] = await pair();
  const events = record<{ roomId: string; reason: string }>(b, 'partner-disconnected');
  const droppedAt = Date.now();
  a.disconnect();
  await next(b, 'partner-away');
  await quietFor(GRACE / 2);
  expect(events).toHaveLength(0);
  const ended = await next<{ roomId: string; reason: string }>(b, 'partner-disconnected', GRACE + 3000);
  expect(ended).toEqual({ roomId, reason: 'disconnected' });
  expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(GRACE);

  const w = await connect(cluster.urls[0]!);
  await request(w, 'find-match', { interests: ['lonely-interest'] });
  w.disconnect();
  await quietFor(100);
  expect((await cluster.nodes[0]!.server.store.counts()).waiting).toBe(0);
});

test('a forged token cannot take over someone’s chat', async () => {
  const [a, b] = await pair();
  const [id] = a.session.token.split('.');
  const thief = await connect(cluster.urls[2]!, { token: `${id}.${'A'.repeat(43)}` });
  expect(thief.session.userId).not.toBe(a.session.userId);
  const resumed = record(thief, 'resumed');
  const got = next<MessageEvent>(a, 'message');
  await say(b, 'for a only');
  expect((await got).text).toBe('for a only');
  expect(resumed).toHaveLength(0);
  expect(await request(thief, 'send-message', { text: 'hi' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_CHAT' } });
});
