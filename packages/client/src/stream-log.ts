/**
 * One stream's delivery state (the chat, a room, a DM conversation): the
 * epoch and the last seq handed to the app, and what arrived early. Pure
 * state, no I/O: the client feeds it what the server sends and does what each
 * step says (deliver these, reset, fetch the hole).
 *
 * The algorithm: a message whose seq is the next one is delivered, followed
 * by any held messages that now follow on; a seq already delivered (or held)
 * is dropped; a seq beyond the next one is held and the step reports a hole,
 * which the client fills with `sync` before anything later is delivered. A
 * different epoch than the one held means the stream's history was lost or
 * the stream is a new one: everything is forgotten (the step says `reset`) and
 * counting starts again from what the server gives.
 *
 * An own send placed by its acknowledgement carries no epoch: while the
 * stream's epoch is unknown it is held (a hole), so the sync that follows
 * names the epoch before anything is delivered.
 *
 * Live messages (`live`) say nothing about what came before them. A recovered
 * batch (`recovered`: a `sync` answer, `resumed.missed`, a re-join's messages)
 * is the server's word on the stream after `afterSeq`: when it starts beyond
 * `afterSeq + 1`, what lies before its first message is gone and is skipped.
 */

export interface Step<M> {
  /** Hand these to the app, in this order. */
  deliver: M[];
  /** The stream's epoch changed to this one: the app drops what it holds of the stream. */
  reset?: string;
  /** Messages are held behind a missing seq: fetch after `lastSeq`. */
  hole: boolean;
}

export class StreamLog<M extends { seq: number }> {
  /** Undefined until the server named the stream's epoch. */
  epoch: string | undefined;
  /** The last seq handed to the app (0: none). */
  lastSeq: number;
  private readonly held = new Map<number, M>();

  constructor(lastSeq = 0, epoch?: string) {
    this.lastSeq = lastSeq;
    this.epoch = epoch;
  }

  /** True while a message is held behind a missing seq. */
  get hasHole(): boolean {
    return this.held.size > 0;
  }

  /** A message as it arrives live (or as an own send's ack places it); `epoch` undefined when the source does not name one. */
  live(message: M, epoch?: string): Step<M> {
    const step: Step<M> = { deliver: [], hole: false };
    this.adopt(epoch, step);
    this.hold(message);
    this.drain(step);
    return step;
  }

  /** The server's answer for the stream after `afterSeq` (oldest first). */
  recovered(epoch: string, messages: M[], afterSeq: number): Step<M> {
    const step: Step<M> = { deliver: [], hole: false };
    const from = this.adopt(epoch, step) ? 0 : afterSeq;
    // The server's copy replaces a held one (an own send placed by its acknowledgement, without the epoch).
    for (const message of messages) this.hold(message, true);
    const first = messages.reduce((min, m) => Math.min(min, m.seq), Infinity);
    // The kept window starts after what was asked for: the part before it is gone.
    if (first !== Infinity && first > from + 1 && first > this.lastSeq + 1) this.skipTo(Math.min(...this.held.keys()) - 1);
    this.drain(step);
    return step;
  }

  /** Gives up on a hole that recovery could not fill: delivers what is held, in order, past the gap. */
  skipHole(): Step<M> {
    const step: Step<M> = { deliver: [], hole: false };
    this.epoch ??= '';
    while (this.held.size > 0) {
      this.skipTo(Math.min(...this.held.keys()) - 1);
      this.drain(step);
    }
    return step;
  }

  /** Takes `epoch` if it is the first one named; on another one resets. True when it reset. */
  private adopt(epoch: string | undefined, step: Step<M>): boolean {
    if (epoch === undefined || epoch === this.epoch) return false;
    const had = this.epoch;
    this.epoch = epoch;
    if (had === undefined) return false;
    this.lastSeq = 0;
    this.held.clear();
    step.reset = epoch;
    return true;
  }

  private hold(message: M, replace = false): void {
    if (message.seq > this.lastSeq && (replace || !this.held.has(message.seq))) this.held.set(message.seq, message);
  }

  private skipTo(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    for (const held of this.held.keys()) if (held <= this.lastSeq) this.held.delete(held);
  }

  private drain(step: Step<M>): void {
    // Until the server names the epoch (an own send acknowledged first), nothing is delivered: the sync that fills this "hole" names it.
    if (this.epoch === undefined) {
      step.hole = this.held.size > 0;
      return;
    }
    for (let next = this.held.get(this.lastSeq + 1); next; next = this.held.get(this.lastSeq + 1)) {
      this.held.delete(next.seq);
      this.lastSeq = next.seq;
      step.deliver.push(next);
    }
    step.hole = this.held.size > 0;
  }
}
