/** Numbered messages over chat pairs: who sent what, and what arrived (lost, duplicated, reordered, latency). */
import { performance } from 'node:perf_hooks';
import type { Client } from './clients';
import type { BenchContext } from './context';
import { sleep } from './procs';

const PADDING = 'x'.repeat(64);

export interface Pair {
  a: Client;
  b: Client;
}

interface Direction {
  next: number;
  max: number;
  seen: Set<number>;
}

/** Sends and checks numbered messages over a set of pairs. */
export class Ledger {
  sent = 0;
  ackOk = 0;
  ackFailed = 0;
  received = 0;
  duplicated = 0;
  reordered = 0;
  latencies: number[] = [];
  ackLatencies: number[] = [];
  recording = true;
  /** Called for each first delivery (closed-loop senders refill from here). */
  onDeliver: ((d: number) => void) | null = null;
  private readonly dirs: Direction[];

  constructor(private readonly pairs: Pair[]) {
    this.dirs = Array.from({ length: pairs.length * 2 }, () => ({ next: 0, max: -1, seen: new Set<number>() }));
    pairs.forEach((p) => {
      p.a.on('message', (m: { text: string }) => this.receive(m.text));
      p.b.on('message', (m: { text: string }) => this.receive(m.text));
    });
  }

  /** Direction d: pair d >> 1, from a (even) or b (odd). */
  send(d: number): void {
    const pair = this.pairs[d >> 1]!;
    const sender = d & 1 ? pair.b : pair.a;
    const dir = this.dirs[d]!;
    const seq = dir.next++;
    const t = performance.now();
    const text = `${d}|${seq}|${t}|${PADDING}`.slice(0, 64);
    this.sent++;
    sender.emit('send-message', { text }, (r: { ok: boolean }) => {
      if (r.ok) this.ackOk++;
      else this.ackFailed++;
      if (this.recording) this.ackLatencies.push(performance.now() - t);
    });
  }

  private receive(text: string): void {
    const now = performance.now();
    const [ds, seqs, ts] = text.split('|');
    const d = Number(ds);
    const seq = Number(seqs);
    const dir = this.dirs[d];
    if (!dir) return;
    if (dir.seen.has(seq)) {
      this.duplicated++;
      return;
    }
    dir.seen.add(seq);
    if (seq < dir.max) this.reordered++;
    dir.max = Math.max(dir.max, seq);
    this.received++;
    if (this.recording) this.latencies.push(now - Number(ts));
    this.onDeliver?.(d);
  }

  inFlight(d: number): number {
    const dir = this.dirs[d]!;
    return dir.next - dir.seen.size;
  }

  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && (this.received < this.ackOk || this.ackOk + this.ackFailed < this.sent)) await sleep(20);
  }
}

/** Open loop: the ledger's sends spread evenly over time. */
export async function runFixedRate(ctx: BenchContext, pairs: Pair[], rate: number, seconds: number): Promise<Ledger> {
  const ledger = new Ledger(pairs);
  const perSecond = pairs.length * rate;
  const start = performance.now();
  let g = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= seconds * 1000) break;
    const due = Math.floor((elapsed / 1000) * perSecond);
    for (; g < due; g++) ledger.send((g % pairs.length) * 2 + (Math.floor(g / pairs.length) % 2));
    ctx.progress.update(`${Math.floor(elapsed / 1000)}/${seconds} s, ${ledger.received} delivered`);
    await sleep(2);
  }
  ledger.recording = false;
  await ledger.drain(3000);
  return ledger;
}
