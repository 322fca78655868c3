/**
 * The simulated users who are not in the one-to-one chat: a topic-room user
 * (joins one of the public rooms, talks now and then, leaves after its
 * session) and a DM user (stays online, writes to its seeded contacts).
 * Both keep the stream contract with a StreamKeeper per stream (`clientId`
 * on sends, de-duplication by seq, `sync` for a hole) and report to the
 * Sink for the bench's delivery checker.
 */
import type { Socket } from 'socket.io-client';
import type { DmEvent, RoomJoinResult, RoomMessageEvent } from '../../src/protocol';
import { streamKeys } from '../../testkit/delivery-checker';
import { StreamKeeper, syncOver, type Requester } from '../../testkit/stream-keeper';
import type { UserEnv } from './workload-user';
import { ask, open } from './connection';
import { exp } from './model';

const interruptible = (ms: number, running: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const end = Date.now() + ms;
    const tick = (): void => void (Date.now() >= end || !running() ? resolve() : setTimeout(tick, Math.min(1000, end - Date.now())));
    tick();
  });

let names = 0;
let sends = 0;

/** Sends one message with a fresh `clientId`, reports the attempt, and holds the acked seq as the sender's own. */
async function sendOn(socket: Socket, env: UserEnv, keeper: StreamKeeper, sender: string, event: 'room-message' | 'dm-send', payload: object): Promise<boolean> {
  const clientId = `${sender.slice(0, 20)}-s${(sends++).toString(36)}`;
  const reply = await ask<{ message: { id: string; seq: number } }>(socket, event, { ...payload, clientId });
  const ack = reply.ok ? { id: reply.message.id, seq: reply.message.seq } : undefined;
  env.sink.send({ stream: keeper.stream, sender, clientId, ...(ack ? { ack } : {}), at: Date.now() });
  if (ack) keeper.offer({ ...ack, mine: true }, 'live');
  else if (!reply.ok) env.sink.error(`${event}:${reply.error.code}`);
  return reply.ok;
}

function oneWay(text: string, into: number[]): void {
  const sent = Number(text.slice(0, text.indexOf(' ')));
  if (Number.isFinite(sent)) into.push(Date.now() - sent);
}

export class RoomUser {
  private socket?: Socket;
  private userId = '';
  private keeper?: StreamKeeper;
  /** Live messages that came while the join was on its way (offered once it is answered). */
  private early: RoomMessageEvent[] = [];

  constructor(
    private readonly env: UserEnv,
    private readonly rooms: readonly string[],
    private readonly tag: string,
  ) {}

  private readonly request: Requester = (event, payload) => ask(this.socket!, event, payload);

  async life(): Promise<void> {
    const { sink, model } = this.env;
    sink.count('arrivals');
    try {
      const g = await open(this.env.url(), {}, this.env.localAddress, (s) =>
        s.on('room-message', (ev: RoomMessageEvent) => {
          oneWay(ev.text, sink.report.roomOneWayMs);
          if (this.keeper && streamKeys.room(ev.code) === this.keeper.stream) this.keeper.offer(ev, 'live');
          else this.early.push(ev);
        }),
      );
      this.socket = g.socket;
      this.userId = g.userId;
    } catch (err) {
      sink.error(`connect:${(err as Error).message}`);
      return;
    }
    const socket = this.socket;
    try {
      let code: string | undefined;
      for (let tries = 0; tries < 3 && !code; tries++) {
        const pick = this.rooms[Math.floor(Math.random() * this.rooms.length)]!;
        const stream = streamKeys.room(pick);
        this.early = [];
        const reply = await ask<RoomJoinResult>(socket, 'room-join', { code: pick, name: `${this.tag}${(names++).toString(36)}` });
        if (!reply.ok) {
          sink.error(`room-join:${reply.error.code}`);
          continue;
        }
        code = pick;
        // Owed what comes after the join; the history shown at the join is the app's start.
        sink.owe(stream, this.userId, reply.lastSeq);
        const keeper = new StreamKeeper({ stream, recipient: () => this.userId, record: (r) => sink.receive(r), sync: syncOver(this.request, { kind: 'room', code: pick }) });
        keeper.start(Math.min(reply.lastSeq, (reply.messages[0]?.seq ?? reply.lastSeq + 1) - 1), reply.epoch);
        for (const m of reply.messages) keeper.offer(m, 'join');
        for (const m of this.early.splice(0)) if (m.code === pick) keeper.offer(m, 'live');
        keeper.learn(reply.lastSeq, reply.epoch);
        this.keeper = keeper;
      }
      if (!code) return;
      const keeper = this.keeper!;
      const leaveAt = Date.now() + exp(model.sessionS) * 1000;
      while (this.env.running() && Date.now() < leaveAt) {
        await interruptible(exp(model.roomThinkS) * 1000, this.env.running);
        if (!this.env.running()) break;
        if (await sendOn(socket, this.env, keeper, this.userId, 'room-message', { code, text: `${Date.now()} hello room` })) sink.count('roomMessages');
      }
      // What the room stored until now is owed; what comes after the leave is not.
      const closing = await syncOver(this.request, { kind: 'room', code })(keeper.lastSeq, keeper.epoch);
      for (const m of closing?.messages ?? []) keeper.offer(m, 'sync');
      await keeper.idle();
      keeper.flush();
      sink.release(keeper.stream, this.userId, closing?.lastSeq ?? keeper.lastSeq, closing ? 'left the room' : 'left the room, no closing sync');
      await ask(socket, 'room-leave', { code }, 2000);
    } finally {
      socket.close();
      sink.count('departures');
    }
  }
}

export class DmUser {
  userId = '';
  private socket?: Socket;
  private contacts: [contactId: string, peerId: string][] = [];
  /** One keeper per conversation, by this side's contact id. */
  private readonly keepers = new Map<string, StreamKeeper>();
  private gotContacts?: () => void;

  constructor(private readonly env: UserEnv) {}

  private readonly request: Requester = (event, payload) => ask(this.socket!, event, payload);

  /** Connects; resolves with the user id (the bench seeds the contacts next). */
  async connect(): Promise<string | undefined> {
    const { sink } = this.env;
    sink.count('arrivals');
    try {
      const g = await open(this.env.url(), {}, this.env.localAddress, (s) =>
        s.on('dm', (ev: DmEvent) => {
          oneWay(ev.text, sink.report.dmOneWayMs);
          this.keepers.get(ev.contactId)?.offer(ev, 'live');
        }),
      );
      this.socket = g.socket;
      this.userId = g.userId;
      return g.userId;
    } catch (err) {
      sink.error(`connect:${(err as Error).message}`);
      return undefined;
    }
  }

  setContacts(contacts: [string, string][]): void {
    this.contacts = contacts;
    for (const [contactId, peerId] of contacts) {
      const stream = streamKeys.dm(this.userId, peerId);
      this.env.sink.owe(stream, this.userId);
      this.keepers.set(contactId, new StreamKeeper({
        stream, recipient: () => this.userId, record: (r) => this.env.sink.receive(r), sync: syncOver(this.request, { kind: 'dm', contactId }),
      }));
    }
    this.gotContacts?.();
  }

  async life(): Promise<void> {
    const { sink, model } = this.env;
    if (!this.socket) return;
    if (this.contacts.length === 0) await new Promise<void>((r) => (this.gotContacts = r));
    while (this.env.running()) {
      await interruptible(exp(model.dmThinkS) * 1000, this.env.running);
      if (!this.env.running() || this.contacts.length === 0) break;
      const [contactId] = this.contacts[Math.floor(Math.random() * this.contacts.length)]!;
      if (await sendOn(this.socket, this.env, this.keepers.get(contactId)!, this.userId, 'dm-send', { contactId, text: `${Date.now()} hi` })) sink.count('dms');
    }
    this.socket.close();
    sink.count('departures');
  }

  close(): void {
    this.socket?.close();
    this.gotContacts?.();
  }
}
