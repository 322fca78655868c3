/**
 * A load process of the workload model (forked by the bench, one per core it
 * may use): keeps `target` simulated users alive — chat, room and DM users in
 * the model's shares — replacing each who leaves by a new arrival, and sends
 * the bench a Report every second. Driven over IPC:
 *   { type: 'start', … }            configuration, before anything else
 *   { type: 'target', users }        how many users to keep alive (arrivals ramp at model.rampPerS)
 *   { type: 'dm-contacts', contacts } contacts of the DM users it announced with { type: 'dm-users', ids }
 *   { type: 'stop' }                 everyone leaves; answers { type: 'stopped' } after a last report
 */
import { WorkloadUser, type UserEnv } from './workload-user';
import type { WorkloadModel } from './model';
import { DmUser, RoomUser } from './side-users';
import { Sink } from './sink';
import { ChatLogReader, type ChatLogSource } from './chat-log-reader';

export interface StartCommand {
  type: 'start';
  worker: number;
  urls: string[];
  model: WorkloadModel;
  cooldownMs: number;
  stuckMs: number;
  localAddress: string;
  rooms: string[];
  /** Where users read an ended chat's closing count (else a `sync` through a node). */
  chatLogs?: ChatLogSource;
}

type Command =
  | StartCommand
  | { type: 'target'; users: number }
  | { type: 'dm-contacts'; contacts: Record<string, [string, string][]> }
  | { type: 'stop' };

let env: UserEnv | undefined;
let start: StartCommand | undefined;
let sink: Sink;
let target = 0;
let running = true;
const chat = new Set<WorkloadUser>();
const room = new Set<RoomUser>();
const dm = new Map<string, DmUser>();
let dmPending = 0;
const newDm: string[] = [];

function send(message: object): void {
  if (process.connected) process.send?.(message);
}

function spawnSome(): void {
  if (!env || !start || !running) return;
  const model = start.model;
  let budget = Math.max(1, Math.round(model.rampPerS / 10));
  const dmTarget = Math.round(target * model.dmShare);
  while (budget-- > 0 && chat.size + room.size + dm.size + dmPending < target) {
    if (dm.size + dmPending < dmTarget) {
      const user = new DmUser(env);
      dmPending++;
      void user.connect().then((id) => {
        dmPending--;
        if (!id) return;
        dm.set(id, user);
        newDm.push(id);
        if (!running) user.close();
      });
      continue;
    }
    const roomShare = model.roomShare / Math.max(1e-9, 1 - model.dmShare);
    if (Math.random() < roomShare && start.rooms.length) {
      const user = new RoomUser(env, start.rooms, `w${start.worker}u`);
      room.add(user);
      void user.life().finally(() => room.delete(user));
    } else {
      const user = new WorkloadUser(env);
      chat.add(user);
      void user.life().finally(() => chat.delete(user));
    }
  }
}

function report(): void {
  if (!env || !start) return;
  const now = Date.now();
  const r = sink.report;
  for (const u of chat) {
    const since = u.waitingSince();
    if (since !== undefined && now - since > start.stuckMs) r.longWaiters.push([u.userId, since]);
  }
  r.users = { chat: chat.size, room: room.size, dm: dm.size };
  send(sink.take());
  if (newDm.length) send({ type: 'dm-users', ids: newDm.splice(0) });
}

process.on('message', (cmd: Command) => {
  if (cmd.type === 'start') {
    start = cmd;
    sink = new Sink(cmd.worker);
    let rr = cmd.worker;
    const logs = cmd.chatLogs ? new ChatLogReader(cmd.chatLogs) : undefined;
    env = {
      model: cmd.model,
      sink,
      url: () => cmd.urls[rr++ % cmd.urls.length]!,
      localAddress: cmd.localAddress,
      cooldownMs: cmd.cooldownMs,
      stuckMs: cmd.stuckMs,
      running: () => running,
      ...(logs && { closingRead: (userId: () => string) => logs.read(userId) }),
    };
    setInterval(spawnSome, 100).unref();
    setInterval(report, 1000).unref();
  } else if (cmd.type === 'target') {
    target = cmd.users;
  } else if (cmd.type === 'dm-contacts') {
    for (const [id, contacts] of Object.entries(cmd.contacts)) {
      const user = dm.get(id);
      if (!user) continue;
      user.setContacts(contacts);
      void user.life();
    }
  } else if (cmd.type === 'stop') {
    running = false;
    for (const u of dm.values()) u.close();
    // Users notice `running` within a second and close their sockets.
    setTimeout(() => {
      report();
      send({ type: 'stopped' });
      setTimeout(() => process.exit(0), 200);
    }, 800);
  }
});
process.on('disconnect', () => process.exit(0));
