/**
 * Background upkeep every node runs: ends chats whose user did not come back
 * within the resume grace, and treats the users of a node that stopped
 * heart-beating as disconnected. Each step is atomic in the store, so nodes
 * may run it side by side; the dead-node sweep also takes a lock so only one
 * node sweeps at a time.
 */
import type { MatchStore } from '../store/match-store';
import type { NodeRegistry } from '../store/node-registry';
import type { Matchmaker } from './matchmaker';
import type { Clock } from '../clock';
import { LOCK_BUSY, type Locker } from '../store/locker';

const TICK_TIMEOUT_MS = 5000;

export interface ReaperHooks {
  /** More upkeep run on every pass (e.g. topic rooms' expired graces). */
  onTick?: () => Promise<unknown>;
  /** A dead node is being swept (under the sweeper lock), before its matchmaking users. */
  onDeadNode?: (nodeId: string) => Promise<unknown>;
  onError?: (err: unknown) => void;
  /** The shared state was lost (e.g. Redis came back empty). */
  onStateLost?: () => void;
}

export interface ReaperOptions {
  /** How often to look for expired graces and dead nodes. */
  intervalMs: number;
  /** A node silent for this long is dead. */
  nodeTtlMs: number;
  /** This node, never swept by itself. */
  nodeId: string;
}

export class Reaper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private epoch: string | null = null;
  /** Since when every pass reached the store; null after a failed pass. */
  private storeOkSince: number | null = null;

  constructor(
    private readonly matchmaker: Matchmaker,
    private readonly store: Pick<MatchStore, 'epoch'> & Pick<NodeRegistry, 'deadNodes'>,
    private readonly locker: Locker,
    private readonly clock: Clock,
    private readonly options: ReaperOptions,
    private readonly hooks: ReaperHooks = {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.running) return;
      // A pass stuck on an unreachable store must not stop the next ones.
      let timeout: NodeJS.Timeout | undefined;
      const stuck = new Promise<void>((_, reject) => {
        timeout = setTimeout(() => reject(new Error('upkeep pass timed out')), TICK_TIMEOUT_MS);
      });
      this.running = Promise.race([this.tick(), stuck])
        .catch((err: unknown) => {
          this.storeOkSince = null;
          this.hooks.onError?.(err);
        })
        .finally(() => {
          clearTimeout(timeout);
          this.running = null;
        });
    }, this.options.intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; exposed for tests. */
  async tick(): Promise<void> {
    // A fresh candidate each time: after a data loss, whoever writes first
    // writes something no node has seen.
    const epoch = await this.store.epoch(`${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
    if (this.epoch !== null && epoch !== this.epoch) {
      this.matchmaker.close();
      this.hooks.onStateLost?.();
    }
    this.epoch = epoch;
    const now = this.clock.now();
    this.storeOkSince ??= now;
    while ((await this.matchmaker.expireAway()) > 0) {
      // More than one batch was due; keep going.
    }
    await this.hooks.onTick?.();
    // After an outage every heartbeat is old: judge other nodes only once this
    // one has itself reached the store for a whole heartbeat ttl.
    if (now - this.storeOkSince < this.options.nodeTtlMs) return;
    const dead = (await this.store.deadNodes(this.clock.now(), this.options.nodeTtlMs)).filter(
      (nodeId) => nodeId !== this.options.nodeId,
    );
    if (dead.length === 0) return;
    const swept = await this.locker.withLock(['sweeper'], async () => {
      for (const nodeId of dead) {
        await this.hooks.onDeadNode?.(nodeId);
        await this.matchmaker.sweepNode(nodeId);
      }
    });
    if (swept === LOCK_BUSY) return; // another node is sweeping
  }
}
