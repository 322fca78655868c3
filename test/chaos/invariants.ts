/**
 * The invariant checker of a chaos run. It reads what every client received
 * (with timestamps), every ack, the server-visible facts, the store at the
 * end and the delivery checker's report, and lists every violation of the
 * matchmaking and relay rules.
 */
import { ERROR_CODES } from '../../src/protocol';
import { formatDelivery, quantile, VIOLATIONS as DELIVERY_VIOLATIONS, type DeliveryReport } from '../../testkit/delivery-checker';
import type { Counts, UserRecord } from '../../src/store/match-store';
import type { Agent } from './agent';
import { checkEligibleWaits, MAX_ELIGIBLE_WAIT_MS } from './eligible-waits';
import type { ChatEnd, FactLog } from './facts';

export interface CheckInput {
  agents: Agent[];
  facts: FactLog;
  /** Each user's record once the run quiesced. */
  endState: Map<string, UserRecord>;
  counts: Counts;
  cooldownMs: number;
  /** RANDOM_FALLBACK_MS and REMATCH_WINDOW_MS of the run (the rule on eligible waits reads them). */
  randomFallbackMs: number;
  rematchWindowMs: number;
  /** When the run's facts end (searches still going count until here); the latest recorded moment if absent. */
  checkedAt?: number;
  /** Slack for comparing a client's receive time with a server time (one process clock). */
  toleranceMs: number;
  /** The delivery checker's report on the run's chats. */
  delivery: DeliveryReport;
}

export interface CheckResult {
  violations: Map<string, string[]>;
  stats: Record<string, number | string>;
}

export const RULES = [
  'one chat at a time',
  'symmetric pairs',
  'no rematch inside the window, no pairing after a block',
  'no pairing during cooldown',
  'no chat left with a partner gone past the grace',
  'no two eligible users left waiting',
  'no two mutually eligible users both waited longer than 2 s without being paired',
  'acked messages delivered exactly once, in order',
  'every request answered with a known code',
] as const;
type Rule = (typeof RULES)[number];

export function checkInvariants(input: CheckInput): CheckResult {
  const { agents, facts, endState, cooldownMs, toleranceMs } = input;
  const violations = new Map<string, string[]>(RULES.map((r) => [r, []]));
  const fail = (rule: Rule, detail: string): void => void violations.get(rule)!.push(detail);
  const byUser = new Map(agents.filter((a) => a.userId).map((a) => [a.userId!, a]));

  const pairs = facts.pairs();
  const pairByRoom = new Map(pairs.map((p) => [p.roomId, p]));
  const endByRoom = new Map<string, ChatEnd>();
  for (const end of facts.ends()) if (!endByRoom.has(end.roomId)) endByRoom.set(end.roomId, end);
  const pairsOf = new Map<string, typeof pairs>();
  for (const p of pairs) for (const u of p.users) pairsOf.set(u, [...(pairsOf.get(u) ?? []), p]);
  for (const list of pairsOf.values()) list.sort((a, b) => a.t0 - b.t0);

  // 1 + 4: per user, each chat ends before the next starts, and the next starts after the cooldown.
  for (const [user, list] of pairsOf) {
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      const end = endByRoom.get(prev.roomId);
      if (!end || end.t0 > cur.t1) {
        fail('one chat at a time', `${user} paired in ${cur.roomId} at ${cur.t0} while ${prev.roomId} ${end ? `ended only at ${end.t0}` : 'never ended'}`);
        continue;
      }
      if (cur.now < end.now + cooldownMs) {
        fail('no pairing during cooldown', `${user}: ${prev.roomId} ended at ${end.now} (${end.how}), ${cur.roomId} committed at ${cur.now}`);
      }
      const seen = byUser.get(user)?.received.find((e) => e.event === 'matched' && (e.payload as { roomId: string }).roomId === cur.roomId);
      if (seen && seen.t < end.now + cooldownMs - toleranceMs) {
        fail('no pairing during cooldown', `${user}: matched ${cur.roomId} received ${end.now + cooldownMs - seen.t} ms before its cooldown ended`);
      }
    }
  }

  // 1 (client side): once a client moved to another room, the old one never comes back.
  for (const agent of agents) {
    const rooms: string[] = [];
    for (const e of agent.received) {
      if (e.event !== 'matched' && e.event !== 'resumed') continue;
      const roomId = (e.payload as { roomId: string }).roomId;
      if (rooms.at(-1) === roomId) continue;
      if (rooms.includes(roomId)) fail('one chat at a time', `${agent.userId} back in ${roomId} after ${rooms.at(-1)}`);
      rooms.push(roomId);
    }
  }

  // 2: both sides of every pair heard of it (unless that side was not connected throughout); no phantom rooms.
  let excusedMatched = 0;
  for (const p of pairs) {
    const startedAts = new Set<number>();
    for (const user of p.users) {
      const agent = byUser.get(user);
      if (!agent) {
        fail('symmetric pairs', `${p.roomId} pairs unknown user ${user}`);
        continue;
      }
      const heard = agent.received.filter(
        (e) => (e.event === 'matched' || e.event === 'resumed') && (e.payload as { roomId: string }).roomId === p.roomId,
      );
      for (const e of heard) startedAts.add((e.payload as { startedAt: number }).startedAt);
      const connectedThroughout = agent.connections.some(
        (c) => c.openedAt !== undefined && c.openedAt <= p.t0 && (c.closedAt === undefined || c.closedAt >= p.t1 + 1000),
      );
      if (heard.length === 0) {
        if (connectedThroughout) fail('symmetric pairs', `${user} never heard of ${p.roomId} although connected`);
        else excusedMatched++;
      }
    }
    if (startedAts.size > 1) fail('symmetric pairs', `${p.roomId} announced with different startedAt ${[...startedAts].join(', ')}`);
  }
  for (const agent of agents) {
    for (const e of agent.received) {
      if (e.event !== 'matched' && e.event !== 'resumed') continue;
      const roomId = (e.payload as { roomId: string }).roomId;
      if (!pairByRoom.get(roomId)?.users.includes(agent.userId!)) fail('symmetric pairs', `${agent.userId} told of ${roomId}, not its pair`);
    }
  }

  // 3: no pair twice, no pair after a block.
  const byPair = new Map<string, string[]>();
  for (const p of pairs) {
    const key = [...p.users].sort().join('+');
    byPair.set(key, [...(byPair.get(key) ?? []), p.roomId]);
  }
  for (const [key, rooms] of byPair) if (rooms.length > 1) fail('no rematch inside the window, no pairing after a block', `${key} met in ${rooms.join(', ')}`);
  let blocks = 0;
  for (const f of facts.facts) {
    if (f.kind !== 'block' || !f.res) continue;
    blocks++;
    const target = f.res;
    const later = (pairsOf.get(f.userId) ?? []).filter((p) => p.users.includes(target) && p.t0 > f.t1);
    for (const p of later) fail('no rematch inside the window, no pairing after a block', `${f.userId} blocked ${target}, then ${p.roomId}`);
  }

  // 5: at the end, every chat has two live, connected users pointing at each other; the gone are idle.
  const states = { idle: 0, waiting: 0, chatting: 0 };
  for (const agent of agents) {
    if (!agent.userId) continue;
    const rec = endState.get(agent.userId);
    if (!rec) continue;
    states[rec.state]++;
    const sid = agent.liveSid;
    if (!sid) {
      if (rec.state !== 'idle') fail('no chat left with a partner gone past the grace', `${agent.userId} is gone but ${rec.state} (${JSON.stringify(rec)})`);
      continue;
    }
    if (rec.sid !== sid) fail('no chat left with a partner gone past the grace', `${agent.userId} connected as ${sid} but the store has ${rec.sid}`);
    if (rec.state !== 'chatting') continue;
    const partner = endState.get(rec.partnerId!);
    const partnerAgent = byUser.get(rec.partnerId!);
    if (!partner || partner.state !== 'chatting' || partner.partnerId !== agent.userId || partner.roomId !== rec.roomId) {
      fail(
        'no chat left with a partner gone past the grace',
        `${agent.userId} chats in ${rec.roomId} with ${rec.partnerId}, whose record is ${JSON.stringify(partner)}` +
          (process.env.CHAOS_TRACE ? `\n${trace(rec.partnerId!, facts, byUser.get(rec.partnerId!))}` : ''),
      );
    } else if (!partnerAgent?.liveSid || partner.away !== undefined || rec.away !== undefined) {
      fail('no chat left with a partner gone past the grace', `${agent.userId} chats in ${rec.roomId} with ${rec.partnerId}, who is gone`);
    } else if (agent.room !== rec.roomId) {
      fail('no chat left with a partner gone past the grace', `${agent.userId}'s client believes it is in ${agent.room}, the store says ${rec.roomId}`);
    }
  }
  const { counts } = input;
  const connected = agents.filter((a) => a.userId && a.liveSid).length;
  if (states.waiting !== counts.waiting || states.chatting !== counts.chatting + counts.away || connected !== counts.online) {
    fail('no chat left with a partner gone past the grace', `store counts ${JSON.stringify(input.counts)} but the users are ${JSON.stringify({ ...states, connected })}`);
  }

  // 5b: two waiting users who never met and never blocked each other must have been paired.
  const blockedPairs = new Set<string>();
  for (const f of facts.facts) if (f.kind === 'block' && f.res) blockedPairs.add([f.userId, f.res].sort().join('+'));
  const waiting = agents.filter((a) => a.userId && a.liveSid && endState.get(a.userId)?.state === 'waiting' && endState.get(a.userId)?.active);
  for (let i = 0; i < waiting.length; i++) {
    for (let j = i + 1; j < waiting.length; j++) {
      const key = [waiting[i]!.userId!, waiting[j]!.userId!].sort().join('+');
      if (!byPair.has(key) && !blockedPairs.has(key)) fail('no two eligible users left waiting', `${key} both still waiting`);
    }
  }

  // 5c: from the clients' facts alone, no two mutually eligible users waited together for long.
  const waits = checkEligibleWaits(
    agents,
    { cooldownMs, randomFallbackMs: input.randomFallbackMs, rematchWindowMs: input.rematchWindowMs },
    input.checkedAt ?? latestMoment(agents),
  );
  for (const { users, detail } of waits.violations) {
    fail(
      'no two mutually eligible users both waited longer than 2 s without being paired',
      detail + (process.env.CHAOS_TRACE ? users.map((u) => `\n${trace(u, facts, byUser.get(u))}`).join('') : ''),
    );
  }

  // 6: the delivery checker, from the clients' records: every acknowledged message kept once, in seq order, by its recipient.
  const { delivery } = input;
  for (const v of DELIVERY_VIOLATIONS) for (const d of delivery.violations[v]) fail('acked messages delivered exactly once, in order', `${v}: ${d}`);

  // 7: acks.
  const codes = new Map<string, number>();
  let lostAcks = 0;
  for (const agent of agents) {
    for (const ack of agent.acks) {
      if (ack.failure === 'disconnected') {
        lostAcks++;
        continue;
      }
      if (ack.failure === 'timeout' || !ack.response) {
        fail('every request answered with a known code', `${agent.userId} ${ack.event} unanswered after ${(ack.t1 ?? 0) - ack.t0} ms`);
        continue;
      }
      const code = ack.response.ok ? 'ok' : ack.response.error.code;
      codes.set(`${ack.event}:${code}`, (codes.get(`${ack.event}:${code}`) ?? 0) + 1);
      if (!ack.response.ok) {
        if (!(ERROR_CODES as readonly string[]).includes(code)) fail('every request answered with a known code', `unknown code ${code}`);
        if (['INTERNAL', 'UNAVAILABLE', 'INVALID_PAYLOAD', 'RATE_LIMITED'].includes(code)) {
          fail('every request answered with a known code', `${agent.userId} ${ack.event} ${JSON.stringify(ack.payload)} → ${code}`);
        }
      }
    }
  }

  // How long after the store committed a pair its users heard `matched` (how loaded the run was).
  const lags: number[] = [];
  for (const p of pairs) {
    for (const user of p.users) {
      const heard = byUser.get(user)?.received.find((e) => e.event === 'matched' && (e.payload as { roomId: string }).roomId === p.roomId);
      if (heard) lags.push(heard.t - p.t1);
    }
  }
  // How long requests took to be answered (a find-match answers after its first search step).
  const answered = agents.flatMap((a) => a.acks.filter((ack) => ack.response && ack.t1 !== undefined).map((ack) => ack.t1! - ack.t0));
  const spread = (values: number[]): string => `${quantile(values, 0.5)} ${quantile(values, 0.99)} ${quantile(values, 1)}`;

  const ends = facts.ends();
  const endHow = new Map<string, number>();
  for (const e of ends) endHow.set(e.how, (endHow.get(e.how) ?? 0) + 1);
  const stats: Record<string, number | string> = {
    clients: agents.length,
    connections: agents.reduce((n, a) => n + a.connections.length, 0),
    takeovers: agents.reduce((n, a) => n + a.connections.filter((c) => c.takeover).length, 0),
    resumes: agents.reduce((n, a) => n + a.received.filter((e) => e.event === 'resumed').length, 0),
    pairs: pairs.length,
    'chat ends': [...endHow].map(([k, v]) => `${k}=${v}`).join(' '),
    blocks,
    'nodes swept': facts.facts.filter((f) => f.kind === 'sweep').length,
    'messages accepted': delivery.counts.acked,
    delivery: formatDelivery(delivery, 0).replace('\n', '; '),
    'matched not heard (client offline)': excusedMatched,
    'acks lost to a closed connection': lostAcks,
    'end state': JSON.stringify(states),
    'searches (uninterrupted waits)': waits.waits,
    'matched heard after the pairing, ms (p50 p99 max)': spread(lags),
    'requests answered after, ms (p50 p99 max)': spread(answered),
    [`longest wait of two eligible users together, ms (limit ${MAX_ELIGIBLE_WAIT_MS})`]: waits.longestMs || 'none over 1 s',
    answers: [...codes].sort().map(([k, v]) => `${k}=${v}`).join(' '),
  };
  return { violations, stats };
}

/** The last moment any client recorded. */
function latestMoment(agents: Agent[]): number {
  let t = -Infinity;
  for (const a of agents) {
    for (const e of a.received) t = Math.max(t, e.t);
    for (const r of a.acks) t = Math.max(t, r.t1 ?? r.t0);
    for (const c of a.connections) t = Math.max(t, c.closedAt ?? c.openedAt ?? c.startedAt);
  }
  return t;
}

/** Everything the run saw of one user, in time order (for CHAOS_TRACE=1). */
export function trace(user: string, facts: FactLog, agent?: Agent, messageId?: string): string {
  const lines: [number, string][] = [];
  for (const f of facts.facts) {
    const involved =
      (f.kind === 'pair' && (f.req.a === user || f.req.b === user)) ||
      (f.kind === 'leave' && (f.req.userId === user || f.res.partnerId === user)) ||
      (f.kind === 'drop' && (f.req.userId === user || f.res.partnerId === user)) ||
      (f.kind === 'attach' && f.req.userId === user) ||
      (f.kind === 'block' && f.userId === user) ||
      (f.kind === 'expire' && f.res.some((e) => e.userId === user || e.partnerId === user)) ||
      (f.kind === 'sweep' && f.res.some((e) => e.userId === user));
    const aboutMessage = f.kind === 'relay' && messageId !== undefined && f.message.id === messageId;
    if (!involved && !aboutMessage) continue;
    const { t0, t1, node, kind, ...rest } = f;
    lines.push([t0, `server ${kind} ${node} ${t0}..${t1} ${JSON.stringify(rest).slice(0, 300)}`]);
  }
  for (const e of agent?.received ?? []) {
    if (e.event !== 'online-count') lines.push([e.t, `client got ${e.event} on #${e.conn} ${JSON.stringify(e.payload).slice(0, 120)}`]);
  }
  for (const a of agent?.acks ?? []) lines.push([a.t0, `client ${a.event} on #${a.conn} ${a.t0}..${a.t1} → ${JSON.stringify(a.response ?? a.failure).slice(0, 120)}`]);
  for (const c of agent?.connections ?? []) {
    lines.push([c.openedAt ?? 0, `client conn #${c.index} sid ${c.sid} node ${c.node}${c.takeover ? ' (takeover)' : ''} open`]);
    if (c.closedAt) lines.push([c.closedAt, `client conn #${c.index} closed: ${c.reason}`]);
  }
  return lines.sort((a, b) => a[0] - b[0]).map(([t, l]) => `           ${t} ${l}`).join('\n');
}
