/**
 * The delivery checker of the stream contract, for a one-to-one chat, a topic
 * room and a DM conversation alike, judged from client records only:
 *
 *  - every send attempt: its stream, its sender, its `clientId`, and the
 *    acknowledgement if one came (message id and seq);
 *  - every receipt: which recipient, which stream, the message's id, seq and
 *    epoch, how it came (live, `resumed.missed`, `room-join`, `sync`) and
 *    whether the recipient kept it (handed it to its app) or dropped it as a
 *    seq it already held;
 *  - who is owed a stream's messages (`owe`), and up to which seq once it
 *    left (`release`).
 *
 * `check()` then names every violation:
 *  - lost: an acknowledged message an owed recipient never kept;
 *  - duplicated: a message a recipient kept twice (what its de-duplication
 *    by seq absorbed is counted apart, as raw duplicates, and is no fault);
 *  - out of order: a recipient kept a seq not above the one it kept before
 *    in the same stream and epoch;
 *  - clientId stored twice: retries of one `clientId` answered with two
 *    different messages.
 *
 * A stream is named by a string key both sides agree on (`streamKeys`).
 * Message ids are unique across streams; acks and receipts meet by id.
 * `settle(stream)` judges a stream that is over and drops its records, so a
 * soak of hours keeps a bounded checker.
 */

/** How a recipient got a message. */
export type ReceiptHow = 'live' | 'resumed' | 'join' | 'sync';

export interface SendRecord {
  stream: string;
  sender: string;
  clientId?: string;
  /** The acknowledgement; absent when none came (refused, timed out, connection lost). */
  ack?: { id: string; seq: number };
  /** When the acknowledgement (or the failure) arrived, epoch ms. */
  at: number;
}

export interface ReceiptRecord {
  recipient: string;
  stream: string;
  id: string;
  seq: number;
  epoch: string;
  how: ReceiptHow;
  /** False when the recipient dropped it as a seq it already held. */
  kept: boolean;
  /** Epoch ms. */
  at: number;
}

/** What a client tells the delivery checker: the checker itself, or a report the checker reads later. */
export interface DeliveryRecorder {
  send(r: SendRecord): void;
  receive(r: ReceiptRecord): void;
  owe(stream: string, recipient: string, afterSeq?: number): void;
  release(stream: string, recipient: string, upToSeq: number, why: string): void;
}

/** Stream keys both sides of a stream compute alike. */
export const streamKeys = {
  chat: (chatId: string): string => `chat:${chatId}`,
  room: (code: string): string => `room:${code}`,
  /** A DM conversation is named by its two users, whichever side speaks. */
  dm: (a: string, b: string): string => `dm:${a < b ? `${a}+${b}` : `${b}+${a}`}`,
};

export const VIOLATIONS = ['lost', 'duplicated', 'out of order', 'clientId stored twice'] as const;
export type Violation = (typeof VIOLATIONS)[number];

export interface DeliveryCounts {
  /** Distinct messages acknowledged. */
  acked: number;
  /** Send attempts that repeated a `clientId` already sent. */
  retries: number;
  /** (message, owed recipient) pairs. */
  owed: number;
  /** Owed pairs kept by the recipient, by how the kept copy came. */
  delivered: Record<ReceiptHow, number>;
  /** Copies the recipient dropped as a seq it already held, by how the dropped copy came. */
  rawDuplicates: Record<ReceiptHow, number>;
  /** (message, recipient) pairs not owed, by the reason given at `release`. */
  notOwed: Record<string, number>;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  clientIdStoredTwice: number;
}

export interface DeliveryReport {
  violations: Record<Violation, string[]>;
  counts: DeliveryCounts;
  /** Acknowledgement to first kept receipt, per owed delivery: [acked at, ms]. */
  delays: [number, number][];
}

interface Acked {
  stream: string;
  sender: string;
  seq: number;
  at: number;
}

/** Who is owed a stream: the messages after `afterSeq`; once released, up to `upToSeq`. */
interface Owing {
  afterSeq: number;
  upToSeq: number;
  reason?: string;
}

const EXAMPLES = 20;

export class DeliveryChecker implements DeliveryRecorder {
  /** Acknowledged messages by stream, then id: settling a stream touches only its own records. */
  private readonly acked = new Map<string, Map<string, Acked>>();
  /** Ids acknowledged in streams not settled yet, whichever the stream. */
  private readonly ackedIds = new Set<string>();
  /** Stream → `<sender>|<clientId>` → the message ids acknowledged for it. */
  private readonly byClientId = new Map<string, Map<string, Set<string>>>();
  private readonly receipts = new Map<string, ReceiptRecord[]>(); // stream → in arrival order
  private readonly owing = new Map<string, Map<string, Owing>>(); // stream → recipient → owing
  /** What was judged so far (settled streams). */
  readonly report: DeliveryReport = {
    violations: { lost: [], duplicated: [], 'out of order': [], 'clientId stored twice': [] },
    counts: {
      acked: 0, retries: 0, owed: 0, delivered: { live: 0, resumed: 0, join: 0, sync: 0 },
      rawDuplicates: { live: 0, resumed: 0, join: 0, sync: 0 }, notOwed: {}, lost: 0, duplicated: 0, outOfOrder: 0, clientIdStoredTwice: 0,
    },
    delays: [],
  };

  send(r: SendRecord): void {
    if (r.clientId !== undefined) {
      let sent = this.byClientId.get(r.stream);
      if (!sent) this.byClientId.set(r.stream, (sent = new Map()));
      const key = `${r.sender}|${r.clientId}`;
      let ids = sent.get(key);
      if (!ids) sent.set(key, (ids = new Set()));
      else this.report.counts.retries++;
      if (r.ack) {
        ids.add(r.ack.id);
        if (ids.size === 2) this.fail('clientId stored twice', 'clientIdStoredTwice', `${r.sender} in ${r.stream}: clientId ${r.clientId} acked as ${[...ids].join(' and ')}`);
      }
    }
    if (!r.ack || this.ackedIds.has(r.ack.id)) return;
    this.ackedIds.add(r.ack.id);
    let acked = this.acked.get(r.stream);
    if (!acked) this.acked.set(r.stream, (acked = new Map()));
    acked.set(r.ack.id, { stream: r.stream, sender: r.sender, seq: r.ack.seq, at: r.at });
  }

  receive(r: ReceiptRecord): void {
    let list = this.receipts.get(r.stream);
    if (!list) this.receipts.set(r.stream, (list = []));
    list.push(r);
  }

  /**
   * `recipient` is owed every acknowledged message of `stream` but its own
   * after `afterSeq` (a room's last seq when it joined; 0 for a chat or a
   * conversation), until released.
   */
  owe(stream: string, recipient: string, afterSeq = 0): void {
    let map = this.owing.get(stream);
    if (!map) this.owing.set(stream, (map = new Map()));
    if (!map.has(recipient)) map.set(recipient, { afterSeq, upToSeq: Infinity });
  }

  /**
   * `recipient` left `stream`: it is owed the messages up to `upToSeq` (the
   * stream's last seq it learned at its end; 0 when it is owed nothing more,
   * e.g. gone for good), and those after are counted as not owed for `reason`.
   */
  release(stream: string, recipient: string, upToSeq: number, reason: string): void {
    this.owe(stream, recipient);
    const o = this.owing.get(stream)!.get(recipient)!;
    if (upToSeq < o.upToSeq) Object.assign(o, { upToSeq, reason });
  }

  /**
   * The run is over: every recipient still owed a stream is owed up to the
   * last seq it kept (a message still on its way is not judged; a hole
   * before it still is).
   */
  endRun(reason = 'on its way when the run ended'): void {
    for (const [stream, owing] of this.owing) {
      for (const [recipient, o] of owing) {
        if (o.upToSeq !== Infinity) continue;
        const held = (this.receipts.get(stream) ?? []).filter((r) => r.recipient === recipient && r.kept).map((r) => r.seq);
        Object.assign(o, { upToSeq: Math.max(0, ...held), reason });
      }
    }
  }

  /** Streams with records. */
  streams(): string[] {
    return [...new Set([...this.owing.keys(), ...this.receipts.keys(), ...this.acked.keys()])];
  }

  /** Judges `stream` now and forgets it (the stream is over: nothing more will be sent or received). */
  settle(stream: string): void {
    this.judge(stream);
    for (const id of this.acked.get(stream)?.keys() ?? []) this.ackedIds.delete(id);
    this.acked.delete(stream);
    this.byClientId.delete(stream);
    this.receipts.delete(stream);
    this.owing.delete(stream);
  }

  /** Judges every stream still held and returns the whole report (settled streams included). */
  check(): DeliveryReport {
    for (const stream of this.streams()) this.settle(stream);
    return this.report;
  }

  private fail(rule: Violation, count: 'lost' | 'duplicated' | 'outOfOrder' | 'clientIdStoredTwice', detail: string): void {
    this.report.counts[count]++;
    const list = this.report.violations[rule];
    if (list.length < EXAMPLES) list.push(detail);
  }

  private judge(stream: string): void {
    const { counts } = this.report;
    const receipts = this.receipts.get(stream) ?? [];
    const acked = [...(this.acked.get(stream) ?? [])];
    counts.acked += acked.length;
    // What each recipient kept, and the order it kept it in.
    const kept = new Map<string, Map<string, ReceiptRecord[]>>(); // recipient → id → kept copies
    const last = new Map<string, { epoch: string; seq: number }>();
    for (const r of receipts) {
      if (!r.kept) {
        counts.rawDuplicates[r.how]++;
        continue;
      }
      let mine = kept.get(r.recipient);
      if (!mine) kept.set(r.recipient, (mine = new Map()));
      mine.set(r.id, [...(mine.get(r.id) ?? []), r]);
      const before = last.get(r.recipient);
      if (before && before.epoch === r.epoch && r.seq <= before.seq) {
        this.fail('out of order', 'outOfOrder', `${r.recipient} in ${stream} kept seq ${r.seq} (${r.how}) after ${before.seq}`);
      }
      last.set(r.recipient, { epoch: r.epoch, seq: r.seq });
    }
    for (const [recipient, ids] of kept) {
      for (const [id, copies] of ids) {
        if (copies.length > 1) this.fail('duplicated', 'duplicated', `${recipient} in ${stream} kept ${id} (seq ${copies[0]!.seq}) ${copies.length} times: ${copies.map((c) => c.how).join(', ')}`);
      }
    }
    for (const [recipient, owing] of this.owing.get(stream) ?? []) {
      for (const [id, a] of acked) {
        if (a.sender === recipient || a.seq <= owing.afterSeq) continue;
        if (a.seq > owing.upToSeq) {
          const reason = owing.reason ?? 'released';
          counts.notOwed[reason] = (counts.notOwed[reason] ?? 0) + 1;
          continue;
        }
        counts.owed++;
        const first = kept.get(recipient)?.get(id)?.[0];
        if (!first) {
          this.fail('lost', 'lost', `${id} (seq ${a.seq}) from ${a.sender} in ${stream}, acked at ${a.at}, never kept by ${recipient}`);
          continue;
        }
        counts.delivered[first.how]++;
        this.report.delays.push([a.at, Math.max(0, first.at - a.at)]);
      }
    }
  }
}

/** The q-quantile (0–1) of `values`, 0 when empty. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** One line per count and per violation kind (with a few examples), for a test's or a bench's log. */
export function formatDelivery(report: DeliveryReport, examples = 3): string {
  const { counts } = report;
  const delivered = Object.entries(counts.delivered).map(([k, v]) => `${k} ${v}`).join(', ');
  const notOwed = Object.entries(counts.notOwed).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const dropped = Object.entries(counts.rawDuplicates).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `acked ${counts.acked} (retries ${counts.retries}); owed ${counts.owed}, delivered ${delivered}; copies dropped as held: ${dropped}; not owed: ${notOwed}`,
    `lost ${counts.lost}, duplicated ${counts.duplicated}, out of order ${counts.outOfOrder}, clientId stored twice ${counts.clientIdStoredTwice}`,
    ...VIOLATIONS.flatMap((v) => report.violations[v].slice(0, examples).map((d) => `  ${v}: ${d}`)),
  ].join('\n');
}

/** The total of the four violation counts. */
export function violationCount(report: DeliveryReport): number {
  const { lost, duplicated, outOfOrder, clientIdStoredTwice } = report.counts;
  return lost + duplicated + outOfOrder + clientIdStoredTwice;
}
