/**
 * Writes room events from the outbox to the archive (PostgreSQL) in the
 * background, so the message path never waits on PostgreSQL. Entries are
 * acknowledged only once written; while the archive is down they wait in the
 * outbox and are written when it returns. Every node runs one; the outbox hands
 * each entry to one of them.
 */
import type { RoomOutbox } from '../store/room-outbox';
import type { RoomArchive } from '../store/room-archive';

export interface ArchiverOptions {
  /** This writer's name in the outbox's consumer group (the node id). */
  consumer: string;
  /** Entries written per transaction. */
  batch?: number;
  /** Pause when the outbox is empty; it doubles while it stays empty, up to 8 times this. */
  idleMs?: number;
  /** Pause after a failed write. */
  retryMs?: number;
  /**
   * Pause after a pass that wrote less than an eighth of a batch and left
   * nothing behind: the logs fill meanwhile, so the next pass takes more
   * entries for the same reads and deletes. A busier outbox (a pass of an
   * eighth of a batch or more, or one that left entries) is read again at once.
   */
  passMs?: number;
  onError?: (err: unknown) => void;
  /** The time, epoch ms (default Date.now). */
  now?: () => number;
}

export class Archiver {
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  /** When a pass last read every entry waiting (or the writer started). */
  private drainedAt: number | undefined;

  constructor(
    private readonly outbox: RoomOutbox,
    private readonly archive: RoomArchive,
    private readonly options: ArchiverOptions,
  ) {}

  start(): void {
    this.drainedAt ??= this.now();
    this.running ??= this.loop();
  }

  /**
   * How far this writer is behind, in ms: the time since a pass last read
   * every entry waiting (less than a full batch, nothing left behind). Near 0
   * while it keeps up; it grows while the archive refuses writes or the
   * outbox fills faster than it is written. 0 before start().
   */
  lagMs(): number {
    return this.drainedAt === undefined ? 0 : Math.max(0, this.now() - this.drainedAt);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Finishes the batch in progress and hands the outbox's share to the other writers; safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    await this.outbox.release?.(this.options.consumer).catch((err: unknown) => this.options.onError?.(err));
  }

  /** Writes one batch; returns how many entries were written. */
  async pass(): Promise<number> {
    const batch = this.options.batch ?? 1000;
    const readAt = this.now();
    const entries = await this.outbox.read(this.options.consumer, batch);
    if (entries.length > 0) {
      await this.archive.write(entries.map((e) => e.event));
      await this.outbox.ack(entries.map((e) => e.id));
    }
    if (entries.length < batch && !(this.outbox.hasMore?.() ?? false)) this.drainedAt = readAt;
    return entries.length;
  }

  private async loop(): Promise<void> {
    const idleMs = this.options.idleMs ?? 50;
    const passMs = this.options.passMs ?? 500;
    const busy = (this.options.batch ?? 1000) / 8;
    let idle = 0;
    while (!this.stopped) {
      let pause = 0;
      try {
        const written = await this.pass();
        const left = this.outbox.hasMore?.() ?? false;
        if (written > 0) {
          idle = 0;
          if (written < busy && !left) pause = passMs;
        } else if (!left) pause = idleMs * 2 ** Math.min(idle++, 3);
      } catch (err) {
        this.options.onError?.(err);
        pause = this.options.retryMs ?? 1000;
      }
      if (pause > 0 && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
