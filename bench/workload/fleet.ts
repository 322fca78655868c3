/**
 * The bench's handle on the load processes of the workload model: forks
 * them, sets how many users they keep alive, seeds the contacts of their DM
 * users, joins their reports in a Ledger and collects the latencies of the
 * current window. Their CPU is measured by PID (they are the load generator).
 */
import path from 'node:path';
import type { Pool } from 'pg';
import { seedContactRing } from '../../test/helpers/contact-seed';
import type { ProcessGroup, Tracked } from '../../testkit/processes';
import { cpuSecondsOf } from '../lib/cpu-meter';
import { Ledger } from './ledger';
import type { WorkloadModel } from './model';
import { addTally, emptyTally, type Report, type Tally } from './sink';
import type { StartCommand } from './user-worker';

const WORKER_JS = path.join(__dirname, 'user-worker.js');

export interface FleetOptions {
  urls: string[];
  model: WorkloadModel;
  /** Load processes (each with its own loopback source address). */
  processes: number;
  cooldownMs: number;
  /** The nodes' RANDOM_FALLBACK_MS. */
  fallbackMs: number;
  stuckMs: number;
  rooms: string[];
  /** To seed the DM users' contacts. */
  pg: Pool;
  /** Where users read an ended chat's closing count (else a `sync` through a node). */
  chatLogs?: StartCommand['chatLogs'];
}

/** What the load processes saw in one window. */
export interface Window {
  /** Pairing waits of the pairs completed (Ledger.add). */
  waitsMs: number[];
  searchWaitsMs: number[];
  oneWayMs: number[];
  dmOneWayMs: number[];
  roomOneWayMs: number[];
  errors: Record<string, number>;
  tally: Tally;
  /** Users alive in the last report of each process, summed. */
  users: number;
}

function emptyWindow(): Window {
  return { waitsMs: [], searchWaitsMs: [], oneWayMs: [], dmOneWayMs: [], roomOneWayMs: [], errors: {}, tally: emptyTally(), users: 0 };
}

export class Fleet {
  readonly ledger = new Ledger();
  private readonly procs: Tracked[] = [];
  private readonly alive = new Map<number, number>();
  private window = emptyWindow();
  private timer?: NodeJS.Timeout;
  private seeding: Promise<unknown> = Promise.resolve();
  seedErrors = 0;
  private batches = 0;

  constructor(private readonly group: ProcessGroup, private readonly options: FleetOptions) {}

  start(): void {
    const { options } = this;
    for (let w = 0; w < options.processes; w++) {
      const proc = this.group.fork(`workload-${w + 1}`, WORKER_JS);
      this.procs.push(proc);
      proc.child.on('message', (m: Report | { type: 'dm-users'; ids: string[] }) => this.onMessage(w, m));
      const cmd: StartCommand = {
        type: 'start', worker: w, urls: options.urls, model: options.model, cooldownMs: options.cooldownMs,
        stuckMs: options.stuckMs, localAddress: `127.0.1.${1 + w}`, rooms: options.rooms,
        ...(options.chatLogs && { chatLogs: options.chatLogs }),
      };
      proc.child.send(cmd);
    }
    this.timer = setInterval(() => this.ledger.check(Date.now()), 1000);
  }

  private onMessage(w: number, m: Report | { type: 'dm-users'; ids: string[] }): void {
    if (m.type === 'dm-users') {
      const ids = m.ids;
      this.seeding = this.seeding.then(() =>
        seedContactRing(this.options.pg, ids, this.options.model.dmContacts, undefined, `b${++this.batches}`).then(
          (contacts) => {
            const out: Record<string, [string, string][]> = {};
            ids.forEach((id, i) => (out[id] = contacts[i]!.map((c) => [c.contactId, ids[c.peer]!])));
            this.procs[w]?.child.send({ type: 'dm-contacts', contacts: out });
          },
          () => void this.seedErrors++,
        ),
      );
      return;
    }
    if (m.type !== 'tick') return;
    const win = this.window;
    for (const v of this.ledger.add(m, this.options.fallbackMs)) win.waitsMs.push(v);
    this.alive.set(w, m.users.chat + m.users.room + m.users.dm);
    for (const k of ['searchWaitsMs', 'oneWayMs', 'dmOneWayMs', 'roomOneWayMs'] as const) for (const v of m[k]) win[k].push(v);
    for (const [k, v] of Object.entries(m.errors)) win.errors[k] = (win.errors[k] ?? 0) + v;
    addTally(win.tally, m.tally);
  }

  /** Users alive now (last reports). */
  users(): number {
    return [...this.alive.values()].reduce((a, b) => a + b, 0);
  }

  /** Spreads `users` over the load processes. */
  setTarget(users: number): void {
    this.procs.forEach((p, w) => p.child.send({ type: 'target', users: Math.floor(users / this.procs.length) + (w < users % this.procs.length ? 1 : 0) }));
  }

  /** Starts a new measuring window; returns what the previous one saw. */
  takeWindow(): Window {
    const w = this.window;
    w.users = this.users();
    this.window = emptyWindow();
    return w;
  }

  pids(): number[] {
    return this.procs.map((p) => p.pid);
  }

  /** CPU seconds the load processes used so far. */
  cpuSeconds(): number {
    return this.pids().reduce((a, pid) => a + cpuSecondsOf(pid), 0);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(
      this.procs.map(async (p) => {
        if (!p.child.connected) return;
        const stopped = new Promise<void>((resolve) => p.child.on('message', (m: { type: string }) => m.type === 'stopped' && resolve()));
        p.child.send({ type: 'stop' });
        await Promise.race([stopped, p.exited, new Promise((r) => setTimeout(r, 5000))]);
      }),
    );
    await Promise.all(this.procs.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 2000))])));
    await Promise.all(this.procs.map((p) => this.group.stop(p)));
    await this.seeding;
    this.ledger.check(Date.now(), true);
  }
}
