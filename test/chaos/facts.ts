/**
 * The server-visible facts of a chaos run: every store call that starts or
 * ends a chat, relays a message, blocks or attaches a connection, recorded
 * with the time of the call and of its answer. Recorded by wrapping each
 * node's store object (the same object the node's matchmaker uses).
 */
import type { LoggedMessage, RelayResult } from '../../src/store/chat-store';
import type {
  ConnectRequest,
  ConnectResult,
  DisconnectRequest,
  DropResult,
  ExpiredAway,
  LeaveRequest,
  LeaveResult,
  PairRequest,
  PairResult,
} from '../../src/store/match-store';
import type { OneToOneStore } from '../../src/store/one-to-one-store';

interface Timed {
  node: string;
  /** When the store call was made, and when it answered (epoch ms, one process clock). */
  t0: number;
  t1: number;
}

export type Fact = Timed &
  (
    | { kind: 'pair'; req: PairRequest; res: PairResult }
    | { kind: 'leave'; req: LeaveRequest; res: LeaveResult }
    | { kind: 'drop'; req: DisconnectRequest; res: DropResult }
    | { kind: 'expire'; now: number; res: ExpiredAway[] }
    | { kind: 'sweep'; nodeId: string; now: number; res: (DropResult & { userId: string })[] }
    | { kind: 'relay'; userId: string; message: LoggedMessage; res: { partnerId: string; roomId: string } | null }
    | { kind: 'block'; userId: string; now: number; res: string | null }
    | { kind: 'attach'; req: ConnectRequest; res: ConnectResult }
  );

/** A chat ended at `now` (the server's clock value that starts the cooldowns). */
export interface ChatEnd {
  roomId: string;
  users: string[];
  now: number;
  t0: number;
  how: string;
}

export class FactLog {
  readonly facts: Fact[] = [];

  /** Wraps the store's methods in place; every node's matchmaker sees the wrapped ones. */
  watch(node: string, store: OneToOneStore): void {
    const log = this.facts;
    const wrap = <A extends unknown[], R>(name: keyof OneToOneStore, record: (t0: number, t1: number, args: A, res: R) => Fact): void => {
      const original = (store[name] as unknown as (...a: A) => Promise<R>).bind(store);
      (store as unknown as Record<string, unknown>)[name] = async (...args: A): Promise<R> => {
        const t0 = Date.now();
        const res = await original(...args);
        log.push(record(t0, Date.now(), args, res));
        return res;
      };
    };
    wrap<[PairRequest], PairResult>('commitPair', (t0, t1, [req], res) => ({ kind: 'pair', node, t0, t1, req, res }));
    wrap<[LeaveRequest], LeaveResult>('leave', (t0, t1, [req], res) => ({ kind: 'leave', node, t0, t1, req, res }));
    wrap<[DisconnectRequest], DropResult>('disconnect', (t0, t1, [req], res) => ({ kind: 'drop', node, t0, t1, req, res }));
    wrap<[number, number, number], ExpiredAway[]>('expireAway', (t0, t1, [now], res) => ({ kind: 'expire', node, t0, t1, now, res }));
    wrap<[string, number, number, number], (DropResult & { userId: string })[]>('sweepNode', (t0, t1, [nodeId, now], res) => ({
      kind: 'sweep',
      node,
      t0,
      t1,
      nodeId,
      now,
      res,
    }));
    wrap<[string, LoggedMessage, number], RelayResult>('relay', (t0, t1, [userId, message], res) => ({
      kind: 'relay',
      node,
      t0,
      t1,
      userId,
      message,
      // Only a logged message counts as accepted; refusals are not relays.
      res: res.kind === 'relayed' ? { partnerId: res.partnerId, roomId: res.roomId } : null,
    }));
    wrap<[string, number, number], string | null>('block', (t0, t1, [userId, now], res) => ({ kind: 'block', node, t0, t1, userId, now, res }));
    wrap<[ConnectRequest], ConnectResult>('connect', (t0, t1, [req], res) => ({ kind: 'attach', node, t0, t1, req, res }));
  }

  /** How many facts changed something (the reaper's empty passes do not count). */
  activity(): number {
    return this.facts.filter((f) => !((f.kind === 'expire' || f.kind === 'sweep') && f.res.length === 0)).length;
  }

  /** Every chat formed: room → users, start. */
  pairs(): { roomId: string; users: [string, string]; now: number; t0: number; t1: number }[] {
    const out = [];
    for (const f of this.facts) {
      if (f.kind === 'pair' && f.res.ok) out.push({ roomId: f.req.roomId, users: f.res.chat.users, now: f.req.now, t0: f.t0, t1: f.t1 });
    }
    return out;
  }

  /** Every chat end, by whichever path ended it. */
  ends(): ChatEnd[] {
    const out: ChatEnd[] = [];
    for (const f of this.facts) {
      if (f.kind === 'leave' && f.res.previous === 'chatting' && f.res.roomId) {
        out.push({ roomId: f.res.roomId, users: [f.req.userId, f.res.partnerId!], now: f.req.now, t0: f.t0, how: `leave(${f.req.only})` });
      } else if (f.kind === 'drop' && f.res.kind === 'chat-ended' && f.res.roomId) {
        out.push({ roomId: f.res.roomId, users: [f.req.userId, f.res.partnerId!], now: f.req.now, t0: f.t0, how: 'disconnect' });
      } else if (f.kind === 'expire') {
        for (const e of f.res) out.push({ roomId: e.roomId, users: [e.userId, e.partnerId], now: f.now, t0: f.t0, how: 'grace expired' });
      } else if (f.kind === 'sweep') {
        for (const r of f.res) {
          if (r.kind === 'chat-ended' && r.roomId) out.push({ roomId: r.roomId, users: [r.userId, r.partnerId!], now: f.now, t0: f.t0, how: 'node swept' });
        }
      }
    }
    return out;
  }
}
