/**
 * A simulated stranger-chat user: arrives, searches (with 1–3 interests or
 * none), chats a geometric number of messages with think and typing times,
 * ends by skipping (`next-match`) or leaving, goes to the background and
 * comes back within the grace (resume with its token and its `lastSeq` +
 * `epoch`, then sends again what was not acknowledged, with its `clientId`),
 * reloads the page, and leaves the site after its session time. It keeps the
 * stream contract (testkit/chat-stream.ts) and reports what it sent and
 * received to the Sink, for the bench's delivery checker.
 */
import { ClientIdentity, type ChatSocket } from '../../testkit/chat-client';
import { ChatStream, type ClosingRead } from '../../testkit/chat-stream';
import type { MessageEvent, ResumedEvent } from '../../src/protocol';
import { ask, open, sleep, type Connection } from './connection';
import { exp, geometric, pickInterests, type WorkloadModel } from './model';
import type { Sink } from './sink';
import { trace } from './trace';

export interface UserEnv {
  model: WorkloadModel;
  sink: Sink;
  /** Picks the node for each new connection. */
  url: () => string;
  localAddress: string;
  cooldownMs: number;
  /** A search waiting (eligible) longer than this is reported to the bench's stuck-pair check. */
  stuckMs: number;
  running: () => boolean;
  /** The closing count of an ended chat read from the store, not by a `sync` through a node (chat-log-reader.ts). */
  closingRead?: (userId: () => string) => ClosingRead;
}

/** After this long without a partner a user gives up the search and searches again. */
export const SEARCH_GIVE_UP_MS = 30_000;

export class WorkloadUser {
  userId = '';
  private socket?: ChatSocket;
  /** The current chat as the contract keeps it: seq, epoch, de-duplication, sync, retried sends. */
  private readonly chatStream: ChatStream;
  /** The token, and the current chat's position for a resume. */
  private readonly identity: ClientIdentity;
  private readonly interests: string[];
  private room?: string;
  private cooldownUntil = 0;
  private searchingSince?: number;
  private wake?: () => void;
  private seq = 0;
  /** The room of the last `resumed`, on the current connection. */
  private lastResumed?: string;
  /** A reconnect failed: the user leaves. */
  private dead = false;

  constructor(private readonly env: UserEnv) {
    this.interests = pickInterests(env.model);
    const userId = (): string => this.userId;
    this.chatStream = new ChatStream(env.sink, userId, (event, payload) => ask(this.socket!, event, payload), env.closingRead?.(userId));
    this.identity = new ClientIdentity({ position: this.chatStream.position });
  }

  /** Eligible since (epoch ms) when this user waits in the pool, else undefined. */
  waitingSince(): number | undefined {
    return this.searchingSince === undefined ? undefined : Math.max(this.searchingSince, this.cooldownUntil);
  }

  async life(): Promise<void> {
    const { model, sink } = this.env;
    sink.count('arrivals');
    if (!(await this.connect(false))) return;
    const leaveAt = Date.now() + exp(model.sessionS) * 1000;
    try {
      let skip = false;
      while (this.env.running() && !this.dead && Date.now() < leaveAt) {
        if (!this.room && !(await this.search(skip))) {
          skip = false;
          continue;
        }
        skip = await this.chat(leaveAt);
      }
    } finally {
      // Leaving the site mid-chat (closing the tab): the partner gets the chat back after the grace.
      const room = this.room;
      this.end(Date.now(), false);
      if (room) await this.chatStream.end(room, 'gone past the grace, never came back');
      this.socket?.close();
      this.searchingSince = undefined;
      sink.count('departures');
    }
  }

  private attach = (socket: ChatSocket): void => {
    const { sink } = this.env;
    // Set at once: a live message may come between `resumed` and the end of the greeting.
    this.socket = socket;
    socket.on('matched', (ev: { roomId: string; commonInterests: string[] }) => {
      trace(this.userId, 'matched', ev.roomId, socket === this.socket);
      if (socket !== this.socket) return;
      if (this.room && this.room !== ev.roomId) sink.report.violations.push(`double match: ${this.userId} matched ${ev.roomId} while in ${this.room}`);
      const since = this.waitingSince();
      if (since !== undefined) sink.report.searchWaitsMs.push(Math.max(0, Date.now() - since));
      this.searchingSince = undefined;
      this.enter(ev.roomId, { eligibleFrom: since ?? -1, interests: this.interests.length, common: ev.commonInterests?.length ?? 0 });
      sink.count('pairs');
      this.wake?.();
    });
    socket.on('message', (m: MessageEvent) => {
      trace(this.userId, 'message', `${m.roomId} ${m.id} #${m.seq} in ${this.room}`, socket === this.socket);
      if (socket !== this.socket) return;
      const sent = Number(m.text.slice(0, m.text.indexOf(' ')));
      if (Number.isFinite(sent)) sink.report.oneWayMs.push(Date.now() - sent);
      if (m.roomId === this.room) this.chatStream.message(m);
    });
    socket.on('resumed', (r: ResumedEvent) => {
      trace(this.userId, 'resumed', `${r.roomId} in ${this.room} lastSeq ${r.lastSeq} missed ${r.missed.map((m) => `${m.seq}${m.mine ? '*' : ''}`).join(',')}`, socket === this.socket);
      if (socket !== this.socket) return;
      if (this.room && r.roomId !== this.room) return void sink.report.violations.push(`resume into another room: ${this.userId} ${r.roomId} not ${this.room}`);
      // In the order the events come: a `partner-disconnected` right after ends the chat entered here.
      if (!this.room && !this.chatStream.isOver(r.roomId)) this.enter(r.roomId);
      this.chatStream.resumed(r);
    });
    socket.on('disconnect', (reason: string) => trace(this.userId, 'disconnect', reason, socket === this.socket));
    socket.on('partner-disconnected', (ev: { roomId: string }) => {
      trace(this.userId, 'partner-disconnected', ev.roomId, socket === this.socket);
      if (socket !== this.socket || ev.roomId !== this.room) return;
      this.end(Date.now(), true);
      void this.chatStream.end(ev.roomId, 'partner left');
      this.wake?.();
    });
    socket.on('error', (ev: { code?: string }) => sink.error(`event:${ev?.code ?? 'unknown'}`));
  };

  private enter(roomId: string, search?: { eligibleFrom: number; interests: number; common: number }): void {
    this.room = roomId;
    this.chatStream.enter(roomId);
    this.env.sink.report.matched.push([roomId, this.userId, Date.now(), search?.eligibleFrom ?? -1, search?.interests ?? 0, search?.common ?? 0]);
  }

  private end(at: number, cooldown: boolean): void {
    if (!this.room) return;
    this.env.sink.report.ended.push([this.room, this.userId, at]);
    trace(this.userId, 'end', this.room, cooldown);
    this.room = undefined;
    if (cooldown) this.cooldownUntil = at + this.env.cooldownMs;
  }

  /**
   * Opens a connection with the token (if any) and, unless `withPosition` is false (a reload), the current
   * chat's `lastSeq` and `epoch`; sends again what was left unacknowledged. False when it failed.
   */
  private async connect(withPosition: boolean): Promise<boolean> {
    let g: Connection;
    try {
      g = await open(this.env.url(), this.identity.auth(withPosition), this.env.localAddress, this.attach);
    } catch (err) {
      this.env.sink.error(`connect:${(err as Error).message}`);
      return false;
    }
    this.userId = g.userId;
    this.identity.adopt(g);
    this.lastResumed = g.resumed?.roomId;
    if (g.resumed) {
      this.env.sink.count('resumes');
      await this.chatStream.retry();
    }
    return true;
  }

  /** Searches until matched (true), or gives up / the run stops (false). */
  private async search(skip: boolean): Promise<boolean> {
    const { sink } = this.env;
    if (!skip) {
      this.searchingSince = Date.now();
      const reply = await ask(this.socket!, 'find-match', this.interests.length ? { interests: this.interests } : {});
      if (!reply.ok) {
        this.searchingSince = undefined;
        sink.error(`find-match:${reply.error.code}`);
        await sleep(1000);
        return false;
      }
    }
    sink.count('searches');
    const deadline = Date.now() + SEARCH_GIVE_UP_MS;
    while (!this.room && this.env.running() && Date.now() < deadline) await this.nap(deadline - Date.now());
    if (this.room) return true;
    this.searchingSince = undefined;
    if (this.env.running()) {
      sink.count('searchTimeouts');
      await ask(this.socket!, 'cancel-match', {});
    }
    return false;
  }

  /** Sleeps up to `ms`, woken early by `matched` or the end of the chat. */
  private nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Chats until the user's messages are sent or the partner ends; returns true when it skipped (already searching). */
  private async chat(leaveAt: number): Promise<boolean> {
    const { model, sink } = this.env;
    const room = this.room!;
    const n = geometric(model.chatMessages);
    for (let i = 0; i < n && this.room === room && this.env.running(); i++) {
      const think = exp(model.thinkS) * 1000;
      await this.maybeAway(think);
      if (this.room !== room || this.dead) return false;
      if (Math.random() < model.typingShare) {
        void ask(this.socket!, 'typing', { isTyping: true });
        await this.nap(Math.min(think, 3000));
      } else await this.nap(think);
      if (this.room !== room) return false;
      const reply = await this.chatStream.send(`${Date.now()} m${this.seq++}`);
      if (reply.ok) {
        sink.count('messages');
        trace(this.userId, 'acked', `${room} ${reply.message.id} #${reply.message.seq}`, true);
      } else if (reply.error.code !== 'NOT_IN_CHAT') sink.error(`send-message:${reply.error.code}`);
    }
    if (this.room !== room) return false;
    const skip = Date.now() < leaveAt && this.env.running() && Math.random() < model.skipShare;
    // Ended before asking: a `matched` of the skip may arrive before its ack.
    const at = Date.now();
    this.end(at, true);
    if (skip) this.searchingSince = at;
    const reply = await ask(this.socket!, skip ? 'next-match' : 'leave-room', {});
    await this.chatStream.end(room, skip ? 'skipped' : 'left');
    sink.count(skip ? 'skips' : 'leaves');
    if (!reply.ok && reply.error.code !== 'NOT_IN_CHAT') sink.error(`${skip ? 'next-match' : 'leave-room'}:${reply.error.code}`);
    if (skip && reply.ok) return true;
    this.searchingSince = undefined;
    await sleep(exp(2) * 1000);
    return false;
  }

  /** During a think time: maybe a blip (background, resume within the grace) or a reload. */
  private async maybeAway(thinkMs: number): Promise<void> {
    const { model, sink } = this.env;
    const perMs = 1 / 60_000;
    const r = Math.random();
    const pBlip = model.blipsPerMin * perMs * thinkMs;
    const pReload = model.reloadsPerMin * perMs * thinkMs;
    if (r >= pBlip + pReload) return;
    const reload = r >= pBlip;
    sink.count(reload ? 'reloads' : 'blips');
    const goneAt = Date.now();
    trace(this.userId, reload ? 'reload' : 'blip', `${this.room} at ${JSON.stringify(this.chatStream.position())}`, true);
    this.socket!.close();
    if (!reload) await sleep(500 + Math.random() * Math.max(0, model.blipMaxS * 1000 - 500));
    const room = this.room;
    const ok = await this.connect(!reload);
    // The chat ended while away (the partner left): it ended, for this user, when it went away.
    if (room && this.room === room && !(ok && this.lastResumed === room)) {
      this.end(goneAt, false);
      await this.chatStream.end(room, 'ended while away');
      // The server ended it at some moment before now: its cooldown ends by now + cooldown at the latest.
      this.cooldownUntil = Date.now() + this.env.cooldownMs;
    }
    if (!ok) this.dead = true;
  }
}
