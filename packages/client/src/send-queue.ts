/**
 * The sends not yet acknowledged (`send-message`, `room-message`, `dm-send`),
 * each with a `clientId` chosen once. A send whose acknowledgement did not come
 * (a timeout, a dropped connection) goes back to waiting and is sent again,
 * with the same `clientId`, as soon as a connection is up: the server answers
 * a retry of a stored send with the original acknowledgement and stores
 * nothing. Waiting sends go out in the order they were made.
 *
 * No transport here: the client passes the emit (which rejects on a timeout or
 * a dropped connection) and says when it is connected.
 */
import { ParleyError, refusalOf } from './errors';
import type { Ack, ErrorCode } from './wire';

/** Emits with an acknowledgement; rejects when none came (timeout, disconnect). */
export type AckedEmit = (event: string, payload: object) => Promise<Ack<object>>;

/** Refusals worth trying again with the same `clientId`: the server could not reach its store. */
const RETRYABLE: readonly ErrorCode[] = ['UNAVAILABLE'];

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** 22 random characters of the `clientId` alphabet (132 bits); crypto.getRandomValues works in browsers without a secure context too. */
export function newClientId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(22));
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte & 63];
  return id;
}

interface Entry {
  event: string;
  payload: { clientId: string };
  state: 'waiting' | 'in-flight';
  resolve(ack: object): void;
  reject(error: ParleyError): void;
}

export interface SendQueueOptions {
  emit: AckedEmit;
  connected(): boolean;
  /** Wait before trying again after a retryable refusal. */
  retryDelayMs?: number;
}

export class SendQueue {
  private readonly entries: Entry[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set by rejectAll: later sends fail with it until reopen(). */
  private stoppedWith: ParleyError | undefined;

  constructor(private readonly options: SendQueueOptions) {}

  /** Sends not yet acknowledged. */
  get size(): number {
    return this.entries.length;
  }

  /** Queues a send (its payload gets a `clientId` unless it has one); resolves with the acknowledgement, rejects on a refusal. */
  enqueue<T extends object>(event: string, payload: { clientId?: string; [field: string]: unknown }): Promise<T> {
    if (this.stoppedWith) return Promise.reject(this.stoppedWith);
    return new Promise<T>((resolve, reject) => {
      this.entries.push({
        event,
        payload: { ...payload, clientId: payload.clientId ?? newClientId() },
        state: 'waiting',
        resolve: resolve as (ack: object) => void,
        reject,
      });
      this.flush();
    });
  }

  /** Sends every waiting entry, in order, when connected. */
  flush(): void {
    if (!this.options.connected()) return;
    for (const entry of this.entries) if (entry.state === 'waiting') this.send(entry);
  }

  /** Fails every queued send, and every later one until reopen() (the client closed or was stopped). */
  rejectAll(error: ParleyError): void {
    this.stoppedWith = error;
    clearTimeout(this.retryTimer);
    for (const entry of this.entries.splice(0)) entry.reject(error);
  }

  /** Takes sends again (the client was told to reconnect). */
  reopen(): void {
    this.stoppedWith = undefined;
  }

  private send(entry: Entry): void {
    entry.state = 'in-flight';
    this.options.emit(entry.event, entry.payload).then(
      (ack) => {
        if (ack.ok) return this.settle(entry, () => entry.resolve(ack));
        if (RETRYABLE.includes(ack.error.code)) return this.later(entry);
        this.settle(entry, () => entry.reject(refusalOf(ack.error)));
      },
      () => {
        // No acknowledgement: it may or may not be stored; the same clientId makes the retry safe.
        entry.state = 'waiting';
        queueMicrotask(() => this.flush());
      },
    );
  }

  private settle(entry: Entry, finish: () => void): void {
    const at = this.entries.indexOf(entry);
    if (at < 0) return; // already failed by rejectAll
    this.entries.splice(at, 1);
    finish();
  }

  private later(entry: Entry): void {
    entry.state = 'waiting';
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), this.options.retryDelayMs ?? 1000);
  }
}
