/** The checker itself: a clean history passes, and each kind of broken history is caught. */
import type { UserRecord } from '../../src/store/match-store';
import type { Agent } from './agent';
import { MAX_ELIGIBLE_WAIT_MS } from './eligible-waits';
import { FactLog, type Fact } from './facts';
import { checkInvariants, type CheckInput } from './invariants';
import { DeliveryChecker, streamKeys, type ReceiptRecord } from '../../testkit/delivery-checker';

type FakeAgent = Pick<Agent, 'userId' | 'received' | 'acks' | 'connections' | 'room'> & { liveSid?: string };

function agent(userId: string, room: string | null = null): FakeAgent {
  return {
    userId,
    room,
    liveSid: `sid-${userId}`,
    received: [],
    acks: [],
    connections: [{ index: 0, node: 0, startedAt: 0, sid: `sid-${userId}`, openedAt: 0, takeover: false }],
  };
}

const pair = (roomId: string, a: string, b: string, t: number): Fact => ({
  kind: 'pair',
  node: 'n',
  t0: t,
  t1: t + 1,
  req: { a, b, roomId, now: t, commonInterests: [], rematchWindowMs: 1e6 },
  res: { ok: true, chat: { roomId, users: [a, b], startedAt: t, commonInterests: [], mode: 'text' } },
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
  message: { id, seq, from, text: `m0:${seq}`, sentAt: t },
  res: { partnerId: to, roomId },
});
const matched = (a: FakeAgent, roomId: string, t: number): void =>
  void a.received.push({ t, conn: 0, event: 'matched', payload: { roomId, commonInterests: [], startedAt: t - 2 } });
const message = (a: FakeAgent, id: string, roomId: string, t: number): void =>
  void a.received.push({ t, conn: 0, event: 'message', payload: { id, roomId, text: 'x', sentAt: t } });
const idle: UserRecord = { state: 'idle', cooldownUntil: 0 };

/** What b kept of a's two acknowledged messages in r1, for the delivery checker. */
const kept = (id: string, seq: number, t: number): ReceiptRecord =>
  ({ recipient: 'b', stream: streamKeys.chat('r1'), id, seq, epoch: 'e', how: 'live', kept: true, at: t });

/** a and b chat in r1 (two messages a→b), leave; a and c chat in r2 and are still chatting. */
function history(): { agents: { a: FakeAgent; b: FakeAgent; c: FakeAgent }; facts: FactLog; receipts: ReceiptRecord[]; input: () => CheckInput } {
  const receipts = [kept('m1', 1, 1110), kept('m2', 2, 1210)];
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
    counts: { online: 3, waiting: 0, waitingVideo: 0, chatting: 2, away: 0 },
    cooldownMs: 200,
    randomFallbackMs: 300,
    rematchWindowMs: 600_000,
    toleranceMs: 5,
    delivery: delivered(receipts),
  });
  return { agents, facts, receipts, input };
}

function delivered(receipts: ReceiptRecord[]) {
  const checker = new DeliveryChecker();
  checker.owe(streamKeys.chat('r1'), 'b');
  checker.send({ stream: streamKeys.chat('r1'), sender: 'a', clientId: 'k1', ack: { id: 'm1', seq: 1 }, at: 1100 });
  checker.send({ stream: streamKeys.chat('r1'), sender: 'a', clientId: 'k2', ack: { id: 'm2', seq: 2 }, at: 1200 });
  for (const r of receipts) checker.receive(r);
  return checker.check();
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

test('a lost, a duplicated and a reordered message, as the delivery checker finds them, are caught', () => {
  const lost = history();
  lost.receipts.splice(1, 1);
  expect(checkInvariants(lost.input()).violations.get('acked messages delivered exactly once, in order')).toEqual([
    'lost: m2 (seq 2) from a in chat:r1, acked at 1200, never kept by b',
  ]);
  const twice = history();
  twice.receipts.push(kept('m2', 2, 1220));
  expect(failing(twice.input())).toContain('acked messages delivered exactly once, in order');
  const reordered = history();
  reordered.receipts.reverse();
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
  input.counts = { online: 5, waiting: 2, waitingVideo: 0, chatting: 2, away: 0 };
  expect(failing(input)).toEqual(['no two eligible users left waiting']);
});

describe('no two mutually eligible users both waited longer than 2 s, judged from the clients', () => {
  const RULE = 'no two mutually eligible users both waited longer than 2 s without being paired';
  /** Searches acked at T + 5 and cancelled at END share 100 ms more than the limit (fallback 300 ms, cooldown 200 ms). */
  const T = 1000;
  const END = T + 5 + MAX_ELIGIBLE_WAIT_MS + 100;

  const request = (a: FakeAgent, event: string, t0: number, payload: object = {}, response: object = { ok: true }, conn = 0): void =>
    void a.acks.push({ t0, t1: t0 + 5, conn, event, payload, response: response as never });
  const find = (a: FakeAgent, t0: number, interests?: string[], event = 'find-match'): void =>
    request(a, event, t0, interests ? { interests } : {}, { ok: true, state: 'waiting' });
  const got = (a: FakeAgent, event: string, t: number, payload: object = {}): void => void a.received.push({ t, conn: 0, event, payload });

  function violations(agents: FakeAgent[], rematchWindowMs = 600_000): string[] {
    const input: CheckInput = {
      agents: agents as Agent[],
      facts: new FactLog(),
      endState: new Map(),
      counts: { online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 },
      cooldownMs: 200,
      randomFallbackMs: 300,
      rematchWindowMs,
      checkedAt: END + 1000,
      toleranceMs: 5,
      delivery: delivered([kept('m1', 1, 1110), kept('m2', 2, 1210)]),
    };
    // The first line of each (CHAOS_TRACE adds the users' histories below it).
    return checkInvariants(input).violations.get(RULE)!.map((v) => v.split('\n')[0]!);
  }

  /** a and b search from T (acks at T + 5) until END, each with these interests. */
  function both(interestsA?: string[], interestsB?: string[]): { a: FakeAgent; b: FakeAgent } {
    const a = agent('a');
    const b = agent('b');
    find(a, T, interestsA);
    find(b, T, interestsB);
    request(a, 'cancel-match', END);
    request(b, 'cancel-match', END);
    return { a, b };
  }

  test('two users without interests left waiting together past the limit are caught, with the interval', () => {
    const { a, b } = both();
    const found = violations([a, b]);
    expect(found).toHaveLength(1);
    expect(found[0]).toBe(
      `${END - T - 5} ms both waiting and eligible, ${T + 5}..${END}: ` +
        `a [] (waiting ${T + 5}..${END}, ended by sent cancel-match); b [] (waiting ${T + 5}..${END}, ended by sent cancel-match)`,
    );
  });

  test('a shared interest makes them eligible at once; without one, only once both are past the fallback', () => {
    expect(violations(Object.values(both(['chess', 'tea'], ['tea'])))).toHaveLength(1);
    // Past the fallback 300 ms after the acks: the shared stretch is 300 ms shorter, within the limit.
    expect(violations(Object.values(both(['chess'], ['tea'])))).toEqual([]);
    // Someone without interests waits for the other's fallback too.
    expect(violations(Object.values(both([], ['tea'])))).toEqual([]);
  });

  test('a restarted search continues the wait, and restarts the fallback clock', () => {
    const same = both();
    find(same.a, T + 1000);
    expect(violations([same.a, same.b])).toHaveLength(1);
    // Different interests: every restart puts a back before its fallback.
    const restarting = both(['chess'], ['tea']);
    for (let t = T + 200; t < END; t += 200) find(restarting.a, t, ['chess']);
    expect(violations([restarting.a, restarting.b])).toEqual([]);
  });

  test('a wait starts after the cooldown of the chat just skipped', () => {
    const { a, b } = both();
    a.acks.length = 0;
    got(a, 'matched', 500, { roomId: 'r0' });
    find(a, T, undefined, 'next-match');
    request(a, 'cancel-match', END);
    expect(violations([a, b])).toEqual([]);
    // The same wait without a chat before it is too long.
    expect(violations(Object.values(both()))).toHaveLength(1);
  });

  test('a cooldown runs from when the partner-left was received', () => {
    const { a, b } = both();
    got(a, 'matched', 500, { roomId: 'r0' });
    got(a, 'partner-disconnected', T, { roomId: 'r0', reason: 'left' });
    expect(violations([a, b])).toEqual([]);
  });

  test('users who chatted before are never expected to meet again', () => {
    const { a, b } = both();
    got(a, 'matched', 500, { roomId: 'r1' });
    got(b, 'matched', 502, { roomId: 'r1' });
    expect(violations([a, b])).toEqual([]);
    // Once the rematch window is over they are.
    expect(violations([a, b], 600)).toHaveLength(1);
  });

  test('a block keeps them apart after the rematch window', () => {
    const { a, b } = both();
    got(a, 'matched', 500, { roomId: 'r1' });
    got(b, 'matched', 502, { roomId: 'r1' });
    request(b, 'block', 600);
    expect(violations([a, b], 600)).toEqual([]);
  });

  test('a pairing only one side heard of spares the users whose connection ended a search', () => {
    const { a, b } = both();
    const c = agent('c');
    find(c, 300);
    got(c, 'matched', 400, { roomId: 'r2' });
    request(c, 'leave-room', 500);
    // b searched on a connection that closed (it never heard of r2), then came back.
    find(b, 350);
    b.connections[0]!.closedAt = 450;
    b.connections.push({ index: 1, node: 0, startedAt: 600, openedAt: 610, sid: 'sid-b2', takeover: false });
    for (const ack of b.acks.slice(0, 2)) ack.conn = 1;
    find(c, T);
    request(c, 'cancel-match', END);
    const found = violations([a, b, c]);
    expect(found).toHaveLength(2);
    expect(found.join('\n')).not.toMatch(/\bb .*; c |\bc .*; b /);
  });

  test('a disconnect, a takeover or a pairing ends a wait', () => {
    const closed = both();
    closed.a.connections[0]!.closedAt = T + 1000;
    expect(violations([closed.a, closed.b])).toEqual([]);

    // A newer connection ends the search from the moment it is attempted, even one that never got its session.
    const takeover = both();
    takeover.a.connections.push({ index: 1, node: 1, startedAt: T + 1000, closedAt: T + 1100, reason: 'no session', takeover: true });
    expect(violations([takeover.a, takeover.b])).toEqual([]);

    // After a reconnect, a new search is a new wait: the two stretches do not add up.
    const back = both();
    back.a.connections[0]!.closedAt = T + 1000;
    back.a.connections.push({ index: 1, node: 1, startedAt: T + 1050, openedAt: T + 1060, sid: 'sid-a2', takeover: false });
    back.a.acks.splice(1, 0, { t0: T + 1100, t1: T + 1105, conn: 1, event: 'find-match', payload: {}, response: { ok: true, state: 'waiting' } as never });
    back.a.acks.at(-1)!.conn = 1;
    expect(violations([back.a, back.b])).toEqual([]);

    const paired = both();
    got(paired.a, 'matched', T + 1000, { roomId: 'r3' });
    expect(violations([paired.a, paired.b])).toEqual([]);
  });

  test('a matched heard late ends the wait at the pairing it reports', () => {
    const { a, b } = both();
    got(a, 'matched', END - 10, { roomId: 'r4', commonInterests: [], startedAt: T + 1000 });
    expect(violations([a, b])).toEqual([]);
    const unstamped = both();
    got(unstamped.a, 'matched', END - 10, { roomId: 'r4' });
    expect(violations([unstamped.a, unstamped.b])).toHaveLength(1);
  });
});
