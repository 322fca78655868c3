/**
 * The story of one chat in a chaos run, for a failure's report: what the
 * server did with it (pair, relays, attaches, the end) and what each of its
 * two users' connections sent and received, in time order. A lost or
 * duplicated message names its chat; this says how it came to be.
 */
import type { Agent } from './agent';
import type { FactLog } from './facts';

const brief = (value: unknown): string => {
  const text = JSON.stringify(value) ?? '';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/** Lines `<ms from start> <who> <what>` for chat `chatId`, its users' connections and requests. */
export function chatTrace(chatId: string, agents: Agent[], facts: FactLog): string[] {
  const pair = facts.pairs().find((p) => p.roomId === chatId);
  if (!pair) return [`no pair formed for ${chatId}`];
  const users = pair.users;
  const names = new Map(users.map((u, i) => [u, i === 0 ? 'A' : 'B']));
  const byUser = new Map(agents.filter((a) => a.userId && names.has(a.userId)).map((a) => [a.userId!, a]));
  const end = facts.ends().find((e) => e.roomId === chatId);
  const until = (end?.t0 ?? Infinity) + 2000;
  const lines: [number, string][] = [];
  const mentions = (v: unknown): boolean => JSON.stringify(v ?? null).includes(chatId);
  for (const f of facts.facts) {
    const at = f.t0;
    if (f.kind === 'pair' && f.req.roomId === chatId) lines.push([at, `server ${f.node} pair ${brief(f.res)}`]);
    else if (f.kind === 'relay' && f.res?.roomId === chatId) lines.push([at, `server ${f.node} relay from ${names.get(f.userId)} seq ${f.message.seq} id ${f.message.id} (answered +${f.t1 - f.t0} ms)`]);
    else if (f.kind === 'attach' && names.has(f.req.userId)) lines.push([at, `server ${f.node} attach ${names.get(f.req.userId)} ${brief(f.req)} -> ${brief(f.res)}`]);
    else if ((f.kind === 'leave' || f.kind === 'drop') && names.has(f.req.userId)) lines.push([at, `server ${f.node} ${f.kind} ${names.get(f.req.userId)} -> ${brief(f.res)}`]);
    else if ((f.kind === 'expire' || f.kind === 'sweep') && mentions(f.res)) lines.push([at, `server ${f.node} ${f.kind} ${brief(f.res)}`]);
  }
  for (const [userId, agent] of byUser) {
    const who = names.get(userId)!;
    for (const c of agent.connections) {
      if (c.startedAt > until || (c.closedAt ?? Infinity) < pair.t0 - 2000) continue;
      lines.push([c.startedAt, `${who} conn ${c.index} to node ${c.node} opened at +${(c.openedAt ?? c.startedAt) - c.startedAt} ms${c.takeover ? ' (takeover)' : ''} lastSeq ${c.lastSeq ?? '-'}`]);
      if (c.closedAt) lines.push([c.closedAt, `${who} conn ${c.index} closed: ${c.reason ?? ''}`]);
    }
    for (const r of agent.received) {
      if (r.t < pair.t0 - 2000 || r.t > until) continue;
      if (['matched', 'resumed', 'message', 'partner-disconnected', 'partner-away', 'partner-back', 'session'].includes(r.event) && (r.event === 'session' || mentions(r.payload))) {
        lines.push([r.t, `${who} conn ${r.conn} got ${r.event} ${r.event === 'session' ? '' : brief(r.payload)}`]);
      }
    }
    for (const a of agent.acks) {
      if (a.t0 < pair.t0 - 2000 || a.t0 > until) continue;
      lines.push([a.t0, `${who} conn ${a.conn} ${a.event} ${brief(a.payload)} -> ${a.failure ?? brief(a.response)} (+${(a.t1 ?? a.t0) - a.t0} ms)`]);
    }
  }
  const start = pair.t0;
  return lines.sort((x, y) => x[0] - y[0]).map(([t, line]) => `${String(t - start).padStart(6)} ${line}`);
}
