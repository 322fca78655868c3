/**
 * Cluster-wide presence: the figures come from the store in one atomic read
 * (so they always add up); each node also reports its connection count as a
 * heartbeat, for the per-node list of /stats. Each node pushes
 * `online-count` to its own clients at most every interval, and only when
 * the figures changed. A push is a frame to every client of the node, so a
 * node with many clients spaces its pushes out to stay within
 * `framesPerSecond` (PRESENCE_FRAMES_PER_SECOND).
 *
 * A user's own figures never wait for that push: a new connection gets
 * figures read after it was counted (with its greeting), and a user whose
 * search or chat state changed gets figures read after the change (reads
 * for many users at once are shared: one read per store round trip).
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { MatchStore, UserRecord } from '../store/match-store';
import type { NodeRegistry } from '../store/node-registry';
import type { OnlineCountEvent, StatsResponse } from '../protocol';
import { GREETING_CHANNEL, userChannel } from './channels';
import type { ParleyIo } from './types';

/** GET /stats: the figures of `online-count`, and each live node's connections. */
export type ClusterStats = Omit<StatsResponse, 'waitingByLanguage'>;

export interface OnlineCounterOptions {
  nodeId: string;
  /** How often to report and broadcast. */
  intervalMs: number;
  /**
   * Figure frames the node pushes per second at most (PRESENCE_FRAMES_PER_SECOND,
   * default 1,000): past framesPerSecond × interval clients (2,000 at 2 s),
   * pushes come every clients ÷ framesPerSecond seconds instead (10 s at
   * 10,000), so idle users cost a bounded share of the node however many
   * there are. A user's own figures are not held by it.
   */
  framesPerSecond?: number;
  /** A node silent for this long counts as gone. */
  nodeTtlMs: number;
  /**
   * Least time between two reads for users' own figures (default
   * OWN_FIGURES_GAP_MS): state changes that come meanwhile share the next
   * read and its one emit, however many users change state each second.
   */
  ownFiguresGapMs?: number;
  /**
   * This node's heartbeat found it no longer listed: another node counted it
   * dead (it could not reach Redis for longer than the ttl) and swept its
   * users, whose sockets are still open here.
   */
  onSwept?: () => void;
}

/** Presence frames a node sends per second at most, unless told otherwise (see `framesPerSecond`). */
export const PRESENCE_FRAMES_PER_SECOND = 1000;

/**
 * Clients a figure push reaches per turn of the event loop. A push to every
 * client at once writes a frame to each socket in one go (about 10 µs each:
 * 40 ms at 4,000), holding every other event that long; in slices, messages
 * and acks go out between them.
 */
export const PUSH_SLICE = 500;

/**
 * Least time between two reads for users' own figures. Without it a busy node
 * read the figures back to back (one read, and one publish of its emit, per
 * round trip: about 180 a second at 2,000 users of the workload model); with
 * it a user's own figures come at most this much later than the change.
 */
export const OWN_FIGURES_GAP_MS = 100;

export class OnlineCounter {
  private last: OnlineCountEvent = { online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 };
  /** The figures last read; a new connection gets these, even while a push waits. */
  private latest: OnlineCountEvent = this.last;
  private lastPushAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private reported = false;
  /** The read under way, and the one queued behind it for callers who came after it began. */
  private reading: Promise<OnlineCountEvent> | null = null;
  private queued: Promise<OnlineCountEvent> | null = null;
  /** Users whose state changed since the last read began, waiting for their own push. */
  private readonly touched = new Set<string>();
  private flushing = false;
  /** When the last read for users' own figures began. */
  private ownReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly io: ParleyIo,
    private readonly store: Pick<MatchStore, 'counts'> & NodeRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: OnlineCounterOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref?.();
    void this.tick();
  }

  /** The figures last read. */
  current(): OnlineCountEvent {
    return this.latest;
  }

  /**
   * Figures read after this call (a read already under way began too early,
   * so a caller arriving during one shares the next). Keeps them as `current`.
   */
  fresh(): Promise<OnlineCountEvent> {
    if (!this.reading) {
      this.reading = this.read().finally(() => {
        this.reading = null;
      });
      return this.reading;
    }
    this.queued ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.fresh();
      });
    return this.queued;
  }

  /**
   * These users' own search or chat state changed: each gets `online-count`
   * with figures read after the change, wherever it is connected.
   */
  touch(userIds: readonly string[]): void {
    for (const id of userIds) this.touched.add(id);
    if (this.flushing || this.touched.size === 0) return;
    this.flushing = true;
    // Changes made in the same turn (both users of a pair, say) share the first read.
    queueMicrotask(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const gap = this.options.ownFiguresGapMs ?? OWN_FIGURES_GAP_MS;
    while (this.touched.size > 0) {
      const wait = this.ownReadAt + gap - this.clock.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.ownReadAt = this.clock.now();
      const users = [...this.touched];
      this.touched.clear();
      try {
        const figures = await this.fresh();
        this.io.to(users.map(userChannel)).except(GREETING_CHANNEL).emit('online-count', figures);
      } catch (err) {
        this.logger.debug({ err }, 'presence read for a state change failed');
      }
    }
    this.flushing = false;
  }

  private async read(): Promise<OnlineCountEvent> {
    this.latest = figuresOf(await this.store.counts());
    return this.latest;
  }

  /** Reads the cluster's figures now (also serves GET /stats). */
  async stats(): Promise<ClusterStats> {
    const now = this.clock.now();
    await this.report(now);
    const [counts, nodes] = await Promise.all([this.store.counts(), this.store.nodes(now, this.options.nodeTtlMs)]);
    const figures = figuresOf(counts);
    return { ...figures, waitingByMode: { text: figures.waiting - figures.waitingVideo, video: figures.waitingVideo }, nodes };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A report still in flight must not read the removal as a sweep.
    this.reported = false;
    await this.store.removeNode(this.options.nodeId).catch(() => undefined);
  }

  private async report(now: number): Promise<void> {
    const listed = await this.store.reportNode(
      { nodeId: this.options.nodeId, connections: this.io.of('/').sockets.size },
      now,
    );
    if (!listed && this.reported) this.options.onSwept?.();
    this.reported = true;
  }

  /**
   * `online-count` to every client of the node (but those in their greeting),
   * PUSH_SLICE at a time, one slice per turn of the event loop; each slice is
   * encoded once. A client that arrives meanwhile has its greeting's figures.
   */
  private pushToAll(figures: OnlineCountEvent): void {
    const ids = [...this.io.of('/').sockets.keys()];
    let from = 0;
    const slice = (): void => {
      const to = Math.min(ids.length, from + PUSH_SLICE);
      if (to > from) this.io.local.to(ids.slice(from, to)).except(GREETING_CHANNEL).emit('online-count', figures);
      from = to;
      if (from < ids.length) setImmediate(slice);
    };
    slice();
  }

  private async tick(): Promise<void> {
    try {
      const next = figuresOf(await this.stats());
      this.latest = next;
      const last = this.last;
      const same =
        next.online === last.online &&
        next.waiting === last.waiting &&
        next.waitingVideo === last.waitingVideo &&
        next.chatting === last.chatting &&
        next.away === last.away;
      if (same) return;
      const now = this.clock.now();
      const spacing = (this.io.of('/').sockets.size * 1000) / (this.options.framesPerSecond ?? PRESENCE_FRAMES_PER_SECOND);
      // Below the budget every tick may push; above it, the change waits (and is pushed then, as it is by then).
      if (spacing > this.options.intervalMs && now - this.lastPushAt < spacing) return;
      this.last = next;
      this.lastPushAt = now;
      this.pushToAll(next);
    } catch (err) {
      this.logger.debug({ err }, 'presence tick failed');
    }
  }
}

/** The figures of `online-count`, and nothing else, of the store's counts. */
function figuresOf({ online, waiting, waitingVideo, chatting, away }: OnlineCountEvent): OnlineCountEvent {
  return { online, waiting, waitingVideo, chatting, away };
}

/**
 * Figures read before a connection was attached, with that connection added as
 * the attach counts it: online once the user has no other live connection, and
 * a chat that waited in the grace (counted away) back among the chatting.
 */
export function withConnection(figures: OnlineCountEvent, before: Pick<UserRecord, 'state' | 'sid'>): OnlineCountEvent {
  if (before.sid) return figures;
  const back = before.state === 'chatting' ? 1 : 0;
  return { ...figures, online: figures.online + 1, chatting: figures.chatting + back, away: Math.max(0, figures.away - back) };
}
