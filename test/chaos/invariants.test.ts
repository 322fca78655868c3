/** The checker itself: a clean history passes, and each kind of broken history is caught. */
import type { UserRecord } from '../../src/store/store';
import type { Agent } from './agent';
import { FactLog, type Fact } from './facts';
import { checkInvariants, type CheckInput } from './invariants';

type FakeAgent = Pick<Agent, 'userId' | 'received' | 'acks' | 'sent' | 'connections' | 'room'> & { liveSid?: string };

function agent(userId: string, room: string | null = null): FakeAgent {
  return {
    userId,
    room,
    liveSid: `sid-${userId}`,
    received: [],
    acks: [],
    sent: [],
    connections: [{ index: 0, node: 0, sid: `sid-${userId}`, openedAt: 0, takeover: false }],
  };
}

const pair = (roomId: string, a: string, b: string, t: number): Fact => ({
  kind: 'pair',
  node: 'n',
  t0: t,
  t1: t + 1,
  req: { a, b, roomId, now: t, commonInterests: [], rematchWindowMs: 1e6 },
  res: { ok: true, chat: { roomId, users: [a, b], startedAt: t, commonInterests: [] } },
});
const leave = (userId: string, partnerId: string, roomId: string, t: number): Fact => ({
  kind: 'leave',
  node: 'n',
  t0: t,
  t1: t + 1,
  req: { userId, now: t, cooldownMs: 200, only: 'chat' },
  res: { previous: 'chatting', partnerId, roomId },
});
const relay = (id: string, from: string, to: string, roomId: string, seq: number, t: number): Fact => ({
  kind: 'relay',
  node: 'n',
  t0: t,
  t1: t + 1,
  userId: from,
  message: { id, from, text: `m0:${seq}`, sentAt: t },
  res: { partnerId: to, roomId },
});
const matched = (a: FakeAgent, roomId: string, t: number): void =>
  void a.received.push({ t, conn: 0, event: 'matched', payload: { roomId, commonInterests: [], startedAt: t - 2 } });
const message = (a: FakeAgent, id: string, roomId: string, t: number): void =>
  void a.received.push({ t, conn: 0, event: 'message', payload: { id, roomId, text: 'x', sentAt: t } });
const idle: UserRecord = { state: 'idle', cooldownUntil: 0 };

/** a and b chat in r1 (two messages a→b), leave; a and c chat in r2 and are still chatting. */
function history(): { agents: { a: FakeAgent; b: FakeAgent; c: FakeAgent }; facts: FactLog; input: () => CheckInput } {
  const agents = { a: agent('a', 'r2'), b: agent('b'), c: agent('c', 'r2') };
  const facts = new FactLog();
  facts.facts.push(pair('r1', 'a', 'b', 1000), relay('m1', 'a', 'b', 'r1', 1, 1100), relay('m2', 'a', 'b', 'r1', 2, 1200));
  facts.facts.push(leave('b', 'a', 'r1', 1300), pair('r2', 'a', 'c', 1600));
  matched(agents.a, 'r1', 1010);
  matched(agents.b, 'r1', 1010);
  message(agents.b, 'm1', 'r1', 1110);
  message(agents.b, 'm2', 'r1', 1210);
  matched(agents.a, 'r2', 1610);
  matched(agents.c, 'r2', 1610);
  const chatting = (partnerId: string): UserRecord => ({ state: 'chatting', cooldownUntil: 0, roomId: 'r2', partnerId });
  const input = (): CheckInput => ({
    agents: Object.values(agents) as Agent[],
    facts,
    endState: new Map([
      ['a', { ...chatting('c'), sid: 'sid-a' }],
      ['b', { ...idle, sid: 'sid-b' }],
      ['c', { ...chatting('a'), sid: 'sid-c' }],
    ]),
    counts: { online: 3, waiting: 0, chatting: 2, away: 0 },
    cooldownMs: 200,
    toleranceMs: 5,
  });
  return { agents, facts, input };
}

const failing = (input: CheckInput): string[] =>
  [...checkInvariants(input).violations].filter(([, list]) => list.length > 0).map(([rule]) => rule);

test('a clean history passes every rule', () => {
  expect(failing(history().input())).toEqual([]);
});

test('a second chat before the first ended is caught', () => {
  const h = history();
  h.facts.facts.push(pair('r3', 'b', 'c', 1200));
  expect(failing(h.input())).toContain('one chat at a time');
});

test('a pairing inside the cooldown is caught', () => {
  const h = history();
  (h.facts.facts[4] as Extract<Fact, { kind: 'pair' }>).req.now = 1400;
  expect(failing(h.input())).toContain('no pairing during cooldown');
});

test('a rematch is caught', () => {
  const h = history();
  h.facts.facts.push(leave('a', 'c', 'r2', 1700), pair('r4', 'a', 'b', 2000));
  expect(failing(h.input())).toContain('no rematch inside the window, no pairing after a block');
});

test('a side that never heard of its chat is caught', () => {
  const h = history();
  h.agents.c.received.length = 0;
  expect(failing(h.input())).toContain('symmetric pairs');
});

test('a lost, a duplicated and a reordered message are caught', () => {
  const lost = history();
  lost.facts.facts.push(relay('m3', 'a', 'c', 'r2', 3, 1700));
  expect(failing(lost.input())).toContain('acked messages delivered exactly once, in order');
  const twice = history();
  message(twice.agents.b, 'm2', 'r1', 1220);
  expect(failing(twice.input())).toContain('acked messages delivered exactly once, in order');
  const reordered = history();
  reordered.agents.b.received.splice(1, 2);
  message(reordered.agents.b, 'm2', 'r1', 1210);
  message(reordered.agents.b, 'm1', 'r1', 1220);
  expect(failing(reordered.input())).toContain('acked messages delivered exactly once, in order');
});

test('a chat whose partner is gone at the end is caught', () => {
  const h = history();
  h.agents.c.liveSid = undefined;
  expect(failing(h.input())).toContain('no chat left with a partner gone past the grace');
});

test('two eligible users left waiting are caught', () => {
  const h = history();
  const d = agent('d');
  const e = agent('e');
  const input = h.input();
  input.agents.push(d as Agent, e as Agent);
  const waiting: UserRecord = { state: 'waiting', cooldownUntil: 0, active: true, open: true };
  input.endState.set('d', { ...waiting, sid: 'sid-d' }).set('e', { ...waiting, sid: 'sid-e' });
  input.counts = { online: 5, waiting: 2, chatting: 2, away: 0 };
  expect(failing(input)).toEqual(['no two eligible users left waiting']);
});
