/**
 * The simulated users who are not in the one-to-one chat: a topic-room user
 * (joins one of the public rooms, talks now and then, leaves after its
 * session) and a DM user (stays online, writes to its seeded contacts).
 */
import type { Socket } from 'socket.io-client';
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

export class RoomUser {
  constructor(
    private readonly env: UserEnv,
    private readonly rooms: readonly string[],
    private readonly tag: string,
  ) {}

  async life(): Promise<void> {
    const { sink, model } = this.env;
    sink.count('arrivals');
    let socket: Socket;
    try {
      socket = (await open(this.env.url(), {}, this.env.localAddress, (s) =>
        s.on('room-message', (ev: { text: string }) => {
          const sent = Number(ev.text.slice(0, ev.text.indexOf(' ')));
          if (Number.isFinite(sent)) sink.report.roomOneWayMs.push(Date.now() - sent);
        }),
      )).socket;
    } catch (err) {
      sink.error(`connect:${(err as Error).message}`);
      return;
    }
    try {
      let code: string | undefined;
      for (let tries = 0; tries < 3 && !code; tries++) {
        const pick = this.rooms[Math.floor(Math.random() * this.rooms.length)]!;
        const reply = await ask(socket, 'room-join', { code: pick, name: `${this.tag}${(names++).toString(36)}` });
        if (reply.ok) code = pick;
        else sink.error(`room-join:${reply.error.code}`);
      }
      if (!code) return;
      const leaveAt = Date.now() + exp(model.sessionS) * 1000;
      while (this.env.running() && Date.now() < leaveAt) {
        await interruptible(exp(model.roomThinkS) * 1000, this.env.running);
        if (!this.env.running()) break;
        const reply = await ask(socket, 'room-message', { code, text: `${Date.now()} hello room` });
        if (reply.ok) sink.count('roomMessages');
        else sink.error(`room-message:${reply.error.code}`);
      }
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
  private readonly seen = new Set<string>();
  private gotContacts?: () => void;

  constructor(private readonly env: UserEnv) {}

  /** Connects; resolves with the user id (the bench seeds the contacts next). */
  async connect(): Promise<string | undefined> {
    const { sink } = this.env;
    sink.count('arrivals');
    try {
      const g = await open(this.env.url(), {}, this.env.localAddress, (s) =>
        s.on('dm', (ev: { id: string; text: string }) => {
          const sent = Number(ev.text.slice(0, ev.text.indexOf(' ')));
          if (Number.isFinite(sent)) sink.report.dmOneWayMs.push(Date.now() - sent);
          if (this.seen.has(ev.id)) sink.report.violations.push(`duplicate DM ${ev.id} to ${this.userId}`);
          this.seen.add(ev.id);
          sink.report.dmReceived.push(ev.id);
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
    this.gotContacts?.();
  }

  async life(): Promise<void> {
    const { sink, model } = this.env;
    if (!this.socket) return;
    if (this.contacts.length === 0) await new Promise<void>((r) => (this.gotContacts = r));
    while (this.env.running()) {
      await interruptible(exp(model.dmThinkS) * 1000, this.env.running);
      if (!this.env.running() || this.contacts.length === 0) break;
      const [contactId, peerId] = this.contacts[Math.floor(Math.random() * this.contacts.length)]!;
      const reply = await ask<{ message: { id: string } }>(this.socket, 'dm-send', { contactId, text: `${Date.now()} hi` });
      if (reply.ok) {
        sink.count('dms');
        sink.report.dmAcked.push([reply.message.id, peerId, Date.now()]);
      } else sink.error(`dm-send:${reply.error.code}`);
    }
    this.socket.close();
    sink.count('departures');
  }

  close(): void {
    this.socket?.close();
    this.gotContacts?.();
  }
}
