/**
 * What a load process tells the bench every second: the raw observations of
 * its simulated users since the previous report (the bench joins them across
 * processes to check the invariants, and keeps the latencies of the step).
 * It is the users' DeliveryRecorder: their sends, receipts and what they are
 * owed go to the bench's delivery checker with the next report.
 */
import type { DeliveryRecorder, ReceiptRecord, SendRecord } from '../../testkit/delivery-checker';

export interface Tally {
  arrivals: number;
  departures: number;
  searches: number;
  pairs: number;
  messages: number;
  skips: number;
  leaves: number;
  blips: number;
  reloads: number;
  resumes: number;
  roomMessages: number;
  dms: number;
  /** Searches given up after SEARCH_GIVE_UP_MS (cancel-match, then searched again). */
  searchTimeouts: number;
}

export interface Report {
  type: 'tick';
  worker: number;
  /** Epoch ms when the report was made. */
  at: number;
  /** Users alive now, by role. */
  users: { chat: number; room: number; dm: number };
  /**
   * [roomId, userId, epoch ms, eligible from (epoch ms; -1 for a resume), interests, common interests]:
   * the user heard `matched` (or `resumed` into a room it did not know).
   */
  matched: [string, string, number, number, number, number][];
  /** [roomId, userId, epoch ms]: the chat ended from this user's view (its own leave/skip, the partner's, or a resume that did not come). */
  ended: [string, string, number][];
  /** For the delivery checker (testkit/delivery-checker.ts), on every stream. */
  delivery: DeliveryRecords;
  /**
   * Every search's wait from the later of the search and the end of the cooldown until `matched`:
   * includes waiting for someone to arrive (the bench's ledger derives the pairing wait from both sides).
   */
  searchWaitsMs: number[];
  /** One-way latencies, sender's emit → receiver's event, one machine clock. */
  oneWayMs: number[];
  dmOneWayMs: number[];
  roomOneWayMs: number[];
  /** [userId, waiting since (epoch ms, eligible from)]: users waiting longer than the stuck limit right now. */
  longWaiters: [string, number][];
  /** Violations one user can see alone (a second `matched` inside a chat, a message twice on one connection…). */
  violations: string[];
  /** Failed requests and connections by code. */
  errors: Record<string, number>;
  tally: Tally;
}

export interface DeliveryRecords {
  sends: SendRecord[];
  receipts: ReceiptRecord[];
  /** [stream, recipient, owed after seq]. */
  owed: [string, string, number][];
  /** [stream, recipient, owed up to seq, why]. */
  released: [string, string, number, string][];
}

export function emptyTally(): Tally {
  return { arrivals: 0, departures: 0, searches: 0, pairs: 0, messages: 0, skips: 0, leaves: 0, blips: 0, reloads: 0, resumes: 0, roomMessages: 0, dms: 0, searchTimeouts: 0 };
}

/** The accumulating report of one load process. */
export class Sink implements DeliveryRecorder {
  report: Report;

  constructor(private readonly worker: number) {
    this.report = this.fresh();
  }

  private fresh(): Report {
    return {
      type: 'tick', worker: this.worker, at: 0, users: { chat: 0, room: 0, dm: 0 },
      matched: [], ended: [], delivery: { sends: [], receipts: [], owed: [], released: [] },
      searchWaitsMs: [], oneWayMs: [], dmOneWayMs: [], roomOneWayMs: [],
      longWaiters: [], violations: [], errors: {}, tally: emptyTally(),
    };
  }

  error(code: string): void {
    this.report.errors[code] = (this.report.errors[code] ?? 0) + 1;
  }

  count(key: keyof Tally): void {
    this.report.tally[key]++;
  }

  send(r: SendRecord): void {
    this.report.delivery.sends.push(r);
  }

  receive(r: ReceiptRecord): void {
    this.report.delivery.receipts.push(r);
  }

  owe(stream: string, recipient: string, afterSeq = 0): void {
    this.report.delivery.owed.push([stream, recipient, afterSeq]);
  }

  release(stream: string, recipient: string, upToSeq: number, why: string): void {
    this.report.delivery.released.push([stream, recipient, upToSeq, why]);
  }

  /** Hands over the report so far and starts a new one. */
  take(): Report {
    const r = this.report;
    this.report = this.fresh();
    r.at = Date.now();
    return r;
  }
}

/** Merges tallies (the bench sums them per step). */
export function addTally(into: Tally, from: Tally): void {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += from[k];
}
