/**
 * The receiving side of the stream contract for one stream, as a client that
 * keeps it does: it holds the stream's epoch and the last seq it holds, hands
 * messages to the app in seq order, drops a seq it already holds, parks a
 * message past a hole and asks `sync` for the hole, and resets on another
 * epoch. Every copy offered is recorded for the delivery checker (kept, or
 * dropped as a duplicate), except the client's own messages (`mine`), which
 * only move the seq it holds.
 */
import type { Ack, StreamRef, SyncResult } from '../src/protocol';
import type { ReceiptHow, ReceiptRecord } from './delivery-checker';

export interface StreamItem {
  id: string;
  seq: number;
  epoch?: string;
  /** The client's own message (an ack, or `mine` in a replay): held, not recorded as a receipt. */
  mine?: boolean;
}

/** A `sync` answer reduced to what the keeper reads; null when the stream could not be read (try again later). */
export type SyncAnswer = { epoch: string; lastSeq: number; messages: StreamItem[]; hasMore: boolean } | null;

/** A request on the client's current connection, answering `{ ok: false }` when it failed. */
export type Requester = <T extends object>(event: 'send-message' | 'room-message' | 'dm-send' | 'sync', payload: object) => Promise<Ack<T>>;

export function syncPayload(stream: StreamRef, afterSeq: number, epoch: string | undefined): object {
  return { stream, afterSeq, ...(epoch !== undefined ? { epoch } : {}), limit: 500 };
}

/** The keeper's `sync` for a room or a conversation (a chat checks more: see chat-stream.ts). */
export function syncOver(request: Requester, stream: StreamRef): KeeperOptions['sync'] {
  return async (afterSeq, epoch) => {
    const reply = await request<SyncResult<StreamItem>>('sync', syncPayload(stream, afterSeq, epoch));
    return reply.ok ? { epoch: reply.epoch, lastSeq: reply.lastSeq, messages: reply.messages, hasMore: reply.hasMore } : null;
  };
}

export interface KeeperOptions {
  stream: string;
  recipient: () => string;
  record: (r: ReceiptRecord) => void;
  sync: (afterSeq: number, epoch: string | undefined) => Promise<SyncAnswer>;
  /** The app's side: each message once, in seq order. */
  deliver?: (item: StreamItem, how: ReceiptHow) => void;
}

/** Syncs in a row that bring nothing before the keeper gives up on a hole (the log no longer holds it). */
const FRUITLESS_SYNCS = 2;

export class StreamKeeper {
  epoch?: string;
  lastSeq = 0;
  private readonly parked = new Map<number, [StreamItem, ReceiptHow]>();
  private filling?: Promise<void>;
  private again = false;

  constructor(private readonly options: KeeperOptions) {}

  get stream(): string {
    return this.options.stream;
  }

  /** Starts where the client stands (a room joined with the last seq before its first message shown). */
  start(lastSeq: number, epoch: string): void {
    this.epoch = epoch;
    this.lastSeq = lastSeq;
    this.parked.clear();
  }

  /** A copy of a message, however it came; a hole it reveals is filled by `sync`. */
  offer(item: StreamItem, how: ReceiptHow): void {
    this.take(item, how);
    if (this.parked.size > 0) void this.fill();
  }

  /** The stream's newest seq as the server told it (`resumed`, `room-join`, a `sync`): a hole is filled. */
  learn(lastSeq: number, epoch: string): void {
    if (this.epoch !== undefined && epoch !== this.epoch) this.reset(epoch);
    this.epoch ??= epoch;
    if (lastSeq > this.lastSeq) void this.fill();
  }

  /** Resolves once no sync is in flight. */
  async idle(): Promise<void> {
    while (this.filling) await this.filling;
  }

  /** Gives up on every hole: the parked messages go to the app in order (the end of a run). */
  flush(): void {
    for (const seq of [...this.parked.keys()].sort((a, b) => a - b)) {
      if (seq <= this.lastSeq) continue;
      this.lastSeq = seq - 1;
      this.drain();
    }
    this.parked.clear();
  }

  private reset(epoch: string): void {
    this.epoch = epoch;
    this.lastSeq = 0;
    this.parked.clear();
  }

  private take(item: StreamItem, how: ReceiptHow): void {
    const epoch = item.epoch ?? this.epoch;
    if (epoch !== undefined && this.epoch !== undefined && epoch !== this.epoch) this.reset(epoch);
    this.epoch ??= epoch;
    if (item.seq <= this.lastSeq) return this.note(item, how, false);
    if (item.seq > this.lastSeq + 1) {
      if (this.parked.has(item.seq)) return this.note(item, how, false);
      this.parked.set(item.seq, [item, how]);
      return;
    }
    this.keep(item, how);
    this.drain();
  }

  private keep(item: StreamItem, how: ReceiptHow): void {
    this.lastSeq = item.seq;
    this.note(item, how, true);
    if (!item.mine) this.options.deliver?.(item, how);
  }

  private drain(): void {
    for (let next = this.parked.get(this.lastSeq + 1); next; next = this.parked.get(this.lastSeq + 1)) {
      this.parked.delete(this.lastSeq + 1);
      this.keep(...next);
    }
    for (const [seq, [item, how]] of this.parked) {
      if (seq > this.lastSeq) continue;
      this.parked.delete(seq);
      this.note(item, how, false);
    }
  }

  private note(item: StreamItem, how: ReceiptHow, kept: boolean): void {
    if (item.mine) return;
    this.options.record({
      recipient: this.options.recipient(), stream: this.options.stream, id: item.id, seq: item.seq,
      epoch: item.epoch ?? this.epoch ?? '', how, kept, at: Date.now(),
    });
  }

  /** Syncs until the hole is filled (one sync at a time; an offer meanwhile asks for one more round). */
  private fill(): Promise<void> {
    if (this.filling) {
      this.again = true;
      return this.filling;
    }
    this.filling = (async () => {
      let fruitless = 0;
      do {
        this.again = false;
        const before = this.lastSeq;
        const answer = await this.options.sync(this.lastSeq, this.epoch).catch(() => null);
        if (!answer) break;
        if (this.epoch !== undefined && answer.epoch !== this.epoch) this.reset(answer.epoch);
        this.epoch ??= answer.epoch;
        for (const m of answer.messages) this.take({ ...m, epoch: m.epoch ?? answer.epoch }, 'sync');
        const hole = this.parked.size > 0 || answer.lastSeq > this.lastSeq;
        if (!hole) break;
        if (answer.hasMore || this.lastSeq > before) fruitless = 0;
        else if (++fruitless >= FRUITLESS_SYNCS) {
          // The log no longer holds the hole (capped, or another epoch): go on past it.
          this.flush();
          break;
        }
        this.again = true;
      } while (this.again);
    })().finally(() => (this.filling = undefined));
    return this.filling;
  }
}
