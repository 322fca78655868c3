/**
 * Cluster-wide presence: the figures come from the store in one atomic read
 * (so they always add up); each node also reports its connection count as a
 * heartbeat, for the per-node list of /stats. Each node pushes
 * `online-count` to its own clients at most every interval, and only when
 * the figures changed.
 */
import type { Logger } from 'pino';
import type { Clock } from '../matchmaking/ports';
import type { MatchStore } from '../store/store';
import type { OnlineCountEvent } from './protocol';
import type { ParleyIo } from './types';

/** GET /stats: the figures of `online-count`, and each live node's connections. */
export interface ClusterStats extends OnlineCountEvent {
  nodes: { nodeId: string; connections: number }[];
}

export interface OnlineCounterOptions {
  nodeId: string;
  /** How often to report and broadcast. */
  intervalMs: number;
  /** A node silent for this long counts as gone. */
  nodeTtlMs: number;
  /**
   * This node's heartbeat found it no longer listed: another node counted it
   * dead (it could not reach Redis for longer than the ttl) and swept its
   * users, whose sockets are still open here.
   */
  onSwept?: () => void;
}

export class OnlineCounter {
  private last: OnlineCountEvent = { online: 0, waiting: 0, chatting: 0, away: 0 };
  private timer: NodeJS.Timeout | null = null;
  private reported = false;

  constructor(
    private readonly io: ParleyIo,
    private readonly store: MatchStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: OnlineCounterOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref?.();
    void this.tick();
  }

  /** The figures last sent. */
  current(): OnlineCountEvent {
    return this.last;
  }

  /** Reads the cluster's figures now (also serves GET /stats). */
  async stats(): Promise<ClusterStats> {
    const now = this.clock.now();
    await this.report(now);
    const [counts, nodes] = await Promise.all([this.store.counts(), this.store.nodes(now, this.options.nodeTtlMs)]);
    const { online, waiting, chatting, away } = counts;
    return { online, waiting, chatting, away, nodes };
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

  private async tick(): Promise<void> {
    try {
      const { online, waiting, chatting, away } = await this.stats();
      const next: OnlineCountEvent = { online, waiting, chatting, away };
      const last = this.last;
      if (next.online === last.online && next.waiting === last.waiting && next.chatting === last.chatting && next.away === last.away) {
        return;
      }
      this.last = next;
      this.io.local.emit('online-count', next);
    } catch (err) {
      this.logger.debug({ err }, 'presence tick failed');
    }
  }
}
