/**
 * Background upkeep every node runs: ends chats whose user did not come back
 * within the resume grace, and treats the users of a node that stopped
 * heart-beating as disconnected. Each step is atomic in the store, so nodes
 * may run it side by side; the dead-node sweep also takes a lock so only one
 * node sweeps at a time.
 */
import type { MatchStore } from '../store/store';
import type { Matchmaker } from './matchmaker';
import { LOCK_BUSY, type Clock, type Locker } from './ports';

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

  constructor(
    private readonly matchmaker: Matchmaker,
    private readonly store: MatchStore,
    private readonly locker: Locker,
    private readonly clock: Clock,
    private readonly options: ReaperOptions,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running ??= this.tick()
        .catch(this.onError)
        .finally(() => {
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
    while ((await this.matchmaker.expireAway()) > 0) {
      // More than one batch was due; keep going.
    }
    const dead = (await this.store.deadNodes(this.clock.now(), this.options.nodeTtlMs)).filter(
      (nodeId) => nodeId !== this.options.nodeId,
    );
    if (dead.length === 0) return;
    const swept = await this.locker.withLock(['sweeper'], async () => {
      for (const nodeId of dead) await this.matchmaker.sweepNode(nodeId);
    });
    if (swept === LOCK_BUSY) return; // another node is sweeping
  }
}
