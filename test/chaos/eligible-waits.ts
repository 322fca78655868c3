/**
 * "No two mutually eligible users both waited longer than 2 s without being
 * paired", judged from what the clients saw only: each agent's requests with
 * their send and ack times, the events it received and when, and its
 * connections. The server's own records are not consulted.
 *
 * Every bound is taken so that users look eligible as late and for as short a
 * time as the client's facts allow: a search starts when its ack came back,
 * ends when a request that may end it was sent, its connection closed (or a
 * newer one was attempted) or `matched` arrived, the fallback clock starts at
 * the ack, a cooldown runs from the latest moment the chat can have ended.
 * A `matched` can arrive seconds after the pairing on a loaded machine (every
 * node and client share one process and two cores), so a search it ends ends
 * at the pairing moment the event carries (`startedAt`, stamped by the same
 * clock in a chaos run) when that is earlier than its arrival. With every
 * bound on the safe side, no tolerance is added to the limit.
 */
import type { AckRecord, Agent } from './agent';

/** Two mutually eligible users may wait together this long; one of them must have been paired by then. */
export const MAX_ELIGIBLE_WAIT_MS = 2000;

export interface WaitPolicy {
  cooldownMs: number;
  randomFallbackMs: number;
  /** Two users who chatted are not paired again for this long after `matched` (the run should be shorter). */
  rematchWindowMs: number;
}

/** The part of an agent the rule reads. */
export type WaitingClient = Pick<Agent, 'userId' | 'received' | 'acks' | 'connections'>;

/** The terms of one search: its interests, and from when it surely accepts anyone. */
interface Terms {
  interests: readonly string[];
  openAt: number;
}

/** A stretch of a search under known terms; two terms while a restart is in flight (either may apply). */
interface Segment {
  from: number;
  to: number;
  terms: Terms[];
}

/** One uninterrupted search of one user, possibly restarted (find-match again) without a gap. */
export interface Wait {
  user: string;
  start: number;
  end: number;
  endedBy: string;
  /** Past its cooldown from here on. */
  coolAt: number;
  segments: Segment[];
}

interface Stop {
  t: number;
  why: string;
  /** The request whose sending ended the search. */
  request?: AckRecord;
}

const earliest = (...stops: (Stop | undefined)[]): Stop =>
  stops.reduce<Stop>((a, b) => (b && b.t < a.t ? b : a), { t: Infinity, why: 'still waiting at the end' });

const SEARCH_EVENTS = ['find-match', 'next-match', 'cancel-match'];
const CHAT_ENDING_ACKS = ['leave-room', 'next-match', 'block'];

const interestsOf = (ack: AckRecord): string[] => (ack.payload as { interests?: string[] }).interests ?? [];
const isWaiting = (ack: AckRecord): boolean => ack.response?.ok === true && (ack.response as { state?: string }).state === 'waiting';
const roomOf = (payload: unknown): string => (payload as { roomId: string }).roomId;

/** A search ends when the client heard of a chat, or when `matched` says the pairing happened if earlier. */
function heardStop(e: WaitingClient['received'][number]): Stop {
  if (e.event === 'state-lost') return { t: e.t, why: 'got state-lost' };
  const { startedAt } = e.payload as { startedAt?: number };
  if (e.event !== 'matched' || startedAt === undefined || startedAt >= e.t) return { t: e.t, why: `got ${e.event} ${roomOf(e.payload)}` };
  return { t: startedAt, why: `got matched ${roomOf(e.payload)} ${e.t - startedAt} ms after its startedAt` };
}

/**
 * The earliest moment a search sent on connection `conn` at `t` may have been
 * ended by its connection: the connection closed, or a newer one (which takes
 * the session over) was attempted.
 */
function connectionEnd(client: WaitingClient, conn: number, t: number): Stop {
  const own = client.connections[conn];
  const stops: Stop[] = [];
  if (own?.closedAt !== undefined) stops.push({ t: own.closedAt, why: `connection #${conn} closed (${own.reason})` });
  for (const c of client.connections.slice(conn + 1)) {
    if (c.startedAt >= t) stops.push({ t: c.startedAt, why: `connection #${c.index} attempted` });
    // A newer attempt still under way when the search was sent may have replaced it at any moment.
    else if ((c.closedAt ?? Infinity) >= t) stops.push({ t, why: `connection #${c.index} attempted before` });
  }
  return earliest(...stops);
}

/**
 * Every search of one client as uninterrupted waits, and the send times of
 * searches that may have been paired without the client hearing of it: their
 * connection ended before the client heard of any chat.
 */
export function waitsOf(client: WaitingClient, policy: WaitPolicy, until: number): { waits: Wait[]; unheardAt: number[] } {
  const user = client.userId!;
  const requests = client.acks.filter((a) => SEARCH_EVENTS.includes(a.event)).sort((a, b) => a.t0 - b.t0);
  const chatStops = client.received.filter((e) => ['matched', 'resumed', 'state-lost'].includes(e.event));
  const waits: Wait[] = [];
  const unheardAt: number[] = [];
  let previous: { terms: Terms; stop: Stop; wait: Wait } | undefined;
  for (let i = 0; i < requests.length; i++) {
    const ack = requests[i]!;
    if (ack.event === 'cancel-match') continue;
    const heard = chatStops.find((e) => e.t >= ack.t0);
    const byConnection = connectionEnd(client, ack.conn, ack.t0);
    if (byConnection.t < Infinity && !(heard && heard.t <= byConnection.t)) unheardAt.push(ack.t0);
    if (!isWaiting(ack)) continue;
    const next = requests[i + 1];
    const stop = earliest(
      heard && heardStop(heard),
      next && { t: next.t0, why: `sent ${next.event}`, request: next },
      byConnection,
      { t: until, why: 'still waiting at the end' },
    );
    const interests = interestsOf(ack);
    const terms: Terms = { interests, openAt: interests.length === 0 ? -Infinity : ack.t1! + policy.randomFallbackMs };
    // A restart right after the previous search (nothing else ended it) continues the same wait.
    let wait: Wait;
    if (previous?.stop.request === ack) {
      wait = previous.wait;
      // In flight, the server may hold the old terms or the new ones (not yet past their fallback).
      wait.segments.push({ from: ack.t0, to: Math.min(ack.t1!, stop.t), terms: [previous.terms, terms] });
    } else {
      wait = { user, start: ack.t1!, end: ack.t1!, endedBy: '', coolAt: -Infinity, segments: [] };
      waits.push(wait);
    }
    wait.segments.push({ from: ack.t1!, to: stop.t, terms: [terms] });
    wait.end = Math.max(wait.end, stop.t);
    wait.endedBy = stop.why;
    previous = { terms, stop, wait };
  }

  // Latest moments a chat of this user can have ended: its own leave/next/block acks, a
  // partner-left, and every new connection (a chat may have ended while it was away).
  const chatEnds = [
    ...client.acks.filter((a) => CHAT_ENDING_ACKS.includes(a.event) && a.response?.ok).map((a) => a.t1!),
    ...client.received.filter((e) => e.event === 'partner-disconnected').map((e) => e.t),
    ...client.connections.flatMap((c) => (c.openedAt === undefined ? [] : [c.openedAt])),
  ];
  for (const wait of waits) {
    wait.segments = wait.segments.filter((s) => s.from < s.to);
    // A user searching is not chatting: a chat-end bound heard during a wait is about a chat that
    // ended before the wait started.
    const latest = Math.max(-Infinity, ...chatEnds.filter((t) => t < wait.end));
    wait.coolAt = Math.min(latest, wait.start) + policy.cooldownMs;
  }
  return { waits: waits.filter((w) => w.start < w.end), unheardAt };
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}+${b}` : `${b}+${a}`);

/**
 * Times during which two users may not be paired, from the clients' facts:
 * after either heard of a chat of theirs (for the rematch window), after
 * either blocked the other. A room only one side heard of had a partner whose
 * connection ended its search: that partner may be any user with such a
 * search sent before, so the pair is spared for each of them.
 */
function exclusions(clients: WaitingClient[], unheard: Map<string, number[]>, policy: WaitPolicy): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  const exclude = (a: string, b: string, from: number, to: number): void => {
    const key = pairKey(a, b);
    out.set(key, [...(out.get(key) ?? []), [from, to]]);
  };
  const heardBy = new Map<string, { user: string; t: number }[]>();
  for (const c of clients) {
    for (const e of c.received) {
      if (e.event !== 'matched' && e.event !== 'resumed') continue;
      const list = heardBy.get(roomOf(e.payload)) ?? [];
      if (!list.some((h) => h.user === c.userId)) list.push({ user: c.userId!, t: e.t });
      heardBy.set(roomOf(e.payload), list);
    }
  }
  for (const heard of heardBy.values()) {
    const h = Math.min(...heard.map((x) => x.t));
    if (heard.length >= 2) {
      for (let i = 0; i < heard.length; i++) for (let j = i + 1; j < heard.length; j++) exclude(heard[i]!.user, heard[j]!.user, h, h + policy.rematchWindowMs);
      continue;
    }
    for (const [user, times] of unheard) if (user !== heard[0]!.user && times.some((t) => t < h)) exclude(heard[0]!.user, user, h, h + policy.rematchWindowMs);
  }
  // A block hits the partner of the last chat the blocker heard of (a later, unheard one is covered above).
  for (const c of clients) {
    for (const ack of c.acks) {
      if (ack.event !== 'block' || !ack.response?.ok) continue;
      const last = c.received.filter((e) => (e.event === 'matched' || e.event === 'resumed') && e.t <= ack.t1!).at(-1);
      const partner = last && heardBy.get(roomOf(last.payload))?.find((h) => h.user !== c.userId);
      if (partner) exclude(c.userId!, partner.user, ack.t0, Infinity);
    }
  }
  return out;
}

/** Removes the excluded stretches from an interval. */
function subtract(interval: [number, number], excluded: [number, number][]): [number, number][] {
  let parts: [number, number][] = [interval];
  for (const [x0, x1] of excluded) {
    parts = parts.flatMap(([a, b]): [number, number][] => (x1 <= a || x0 >= b ? [[a, b]] : [...(a < x0 ? [[a, x0] as [number, number]] : []), ...(x1 < b ? [[x1, b] as [number, number]] : [])]));
  }
  return parts;
}

/** From when two terms surely let the users be paired: a shared interest at once, else both past their fallback. */
function eligibleFrom(a: Terms[], b: Terms[]): number {
  let from = -Infinity;
  for (const x of a) {
    for (const y of b) {
      if (x.interests.some((i) => y.interests.includes(i))) continue;
      from = Math.max(from, x.openAt, y.openAt);
    }
  }
  return from;
}

const waitText = (w: Wait, from: number, to: number): string => {
  const lists = [...new Set(w.segments.filter((s) => s.to > from && s.from < to).flatMap((s) => s.terms.map((t) => JSON.stringify(t.interests))))];
  return `${w.user} ${lists.join('→')} (waiting ${w.start}..${w.end}, ended by ${w.endedBy})`;
};

export interface EligibleWaitResult {
  violations: { users: [string, string]; detail: string }[];
  /** Searches (uninterrupted waits) looked at, and the longest stretch two eligible users waited together. */
  waits: number;
  longestMs: number;
}

/**
 * Every pair of waits of two users during which both were searching and
 * mutually eligible (past cooldown, never chatted, no block, a shared interest
 * or both past their fallback) for longer than MAX_ELIGIBLE_WAIT_MS.
 */
export function checkEligibleWaits(clients: WaitingClient[], policy: WaitPolicy, until: number): EligibleWaitResult {
  const known = clients.filter((c) => c.userId);
  const all: Wait[] = [];
  const unheard = new Map<string, number[]>();
  for (const c of known) {
    const { waits, unheardAt } = waitsOf(c, policy, until);
    all.push(...waits);
    if (unheardAt.length) unheard.set(c.userId!, unheardAt);
  }
  const excluded = exclusions(known, unheard, policy);
  all.sort((a, b) => a.start - b.start);
  const violations: EligibleWaitResult['violations'] = [];
  let longestMs = 0;
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    // Later starters overlapping `a` by at least a second (the longest stat need not go lower).
    for (let j = i + 1; j < all.length && all[j]!.start < a.end - 1000; j++) {
      const b = all[j]!;
      if (b.user === a.user || Math.min(a.end, b.end) - b.start <= 1000) continue;
      const stretches: [number, number][] = [];
      for (const sa of a.segments) {
        for (const sb of b.segments) {
          const from = Math.max(sa.from, sb.from, a.coolAt, b.coolAt, eligibleFrom(sa.terms, sb.terms));
          const to = Math.min(sa.to, sb.to);
          if (from < to) stretches.push(...subtract([from, to], excluded.get(pairKey(a.user, b.user)) ?? []));
        }
      }
      // Segments of one wait follow each other: merge the stretches that touch.
      stretches.sort((x, y) => x[0] - y[0]);
      let best: [number, number] | undefined;
      let cur: [number, number] | undefined;
      for (const s of stretches) {
        if (cur && s[0] <= cur[1]) cur[1] = Math.max(cur[1], s[1]);
        else cur = [s[0], s[1]];
        if (!best || cur[1] - cur[0] > best[1] - best[0]) best = [cur[0], cur[1]];
      }
      if (!best) continue;
      const ms = best[1] - best[0];
      longestMs = Math.max(longestMs, ms);
      if (ms > MAX_ELIGIBLE_WAIT_MS) {
        violations.push({
          users: [a.user, b.user],
          detail: `${ms} ms both waiting and eligible, ${best[0]}..${best[1]}: ${waitText(a, best[0], best[1])}; ${waitText(b, best[0], best[1])}`,
        });
      }
    }
  }
  return { violations, waits: all.length, longestMs };
}
