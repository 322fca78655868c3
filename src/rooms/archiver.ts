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
   * Pause after a pass that wrote less than an eighth of a batch: the rooms'
   * logs fill meanwhile, so the next pass takes more entries per room for
   * the same reads of the pending sets and the same take and done per room.
   * A busier log (a pass of an eighth of a batch or more) is read again at once.
   */
  passMs?: number;
  onError?: (err: unknown) => void;
}

export class Archiver {
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly outbox: RoomOutbox,
    private readonly archive: RoomArchive,
    private readonly options: ArchiverOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Finishes the batch in progress; safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** Writes one batch; returns how many entries were written. */
  async pass(): Promise<number> {
    const entries = await this.outbox.read(this.options.consumer, this.options.batch ?? 1000);
    if (entries.length === 0) return 0;
    await this.archive.write(entries.map((e) => e.event));
    await this.outbox.ack(entries.map((e) => e.id));
    return entries.length;
  }

  private async loop(): Promise<void> {
    const idleMs = this.options.idleMs ?? 50;
    const passMs = this.options.passMs ?? 200;
    const busy = (this.options.batch ?? 1000) / 8;
    let idle = 0;
    let recovered = false;
    while (!this.stopped) {
      let pause = 0;
      try {
        // Entries a crashed node left unannounced are found once, at start.
        if (!recovered) {
          await this.outbox.recover?.();
          recovered = true;
        }
        const written = await this.pass();
        if (written > 0) {
          idle = 0;
          if (written < busy) pause = passMs;
        }
        // Nothing written because other nodes hold the rooms: not idle, look again after a pass's pause.
        else if (this.outbox.contended?.()) pause = passMs;
        else pause = idleMs * 2 ** Math.min(idle++, 3);
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
