/**
 * What a load process tells the bench every second: the raw observations of
 * its simulated users since the previous report (the bench joins them across
 * processes to check the invariants, and keeps the latencies of the step).
 */

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
  /** [roomId, userId, epoch ms]: the user went to the background (or reloads) in that chat. */
  away: [string, string, number][];
  /** [roomId, userId, connect started, greeting done] (epoch ms): a connection resumed that chat. */
  resumes: [string, string, number, number][];
  /** [messageId, roomId, senderId, epoch ms of the ack]. */
  acked: [string, string, string, number][];
  /** [messageId, roomId, receiverId]: first receipt (live or in `resumed.missed`). */
  received: [string, string, string][];
  /** [dmId, recipient userId, epoch ms of the ack]. */
  dmAcked: [string, string, number][];
  /** DM ids received live (first receipt). */
  dmReceived: string[];
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

export function emptyTally(): Tally {
  return { arrivals: 0, departures: 0, searches: 0, pairs: 0, messages: 0, skips: 0, leaves: 0, blips: 0, reloads: 0, resumes: 0, roomMessages: 0, dms: 0, searchTimeouts: 0 };
}

/** The accumulating report of one load process. */
export class Sink {
  report: Report;

  constructor(private readonly worker: number) {
    this.report = this.fresh();
  }

  private fresh(): Report {
    return {
      type: 'tick', worker: this.worker, at: 0, users: { chat: 0, room: 0, dm: 0 },
      matched: [], ended: [], away: [], resumes: [], acked: [], received: [], dmAcked: [], dmReceived: [],
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
