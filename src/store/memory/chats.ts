/**
 * What the single node keeps of one-to-one chats: each live chat's start,
 * shared interests and log, and the logs of ended chats while they are kept
 * as report evidence.
 */
import type { LoggedMessage } from '../chat-store';

export interface Chat {
  startedAt: number;
  commonInterests: string[];
  log: LoggedMessage[];
}

export class Chats {
  private readonly live = new Map<string, Chat>();
  /** Logs of ended chats, kept as report evidence until `until`. */
  private readonly ended = new Map<string, { log: LoggedMessage[]; until: number }>();

  /** `evidenceMs`: how long an ended chat's log is kept (REPORT_WINDOW_MS); 0 drops it with the chat. */
  constructor(private readonly evidenceMs: number) {}

  open(roomId: string, startedAt: number, commonInterests: readonly string[]): void {
    this.live.set(roomId, { startedAt, commonInterests: [...commonInterests], log: [] });
  }

  get(roomId: string): Chat | undefined {
    return this.live.get(roomId);
  }

  append(roomId: string, message: LoggedMessage, cap: number): void {
    const log = this.live.get(roomId)?.log;
    if (!log) return;
    log.push({ ...message });
    if (log.length > cap) log.splice(0, log.length - cap);
  }

  end(roomId: string, now: number): void {
    const log = this.live.get(roomId)?.log;
    if (log && this.evidenceMs > 0) this.ended.set(roomId, { log, until: now + this.evidenceMs });
    this.live.delete(roomId);
  }

  /** A live chat's log, or an ended one's while kept; a copy. */
  log(roomId: string): LoggedMessage[] {
    return structuredClone(this.live.get(roomId)?.log ?? this.ended.get(roomId)?.log ?? []);
  }

  prune(now: number): void {
    for (const [roomId, { until }] of this.ended) if (until <= now) this.ended.delete(roomId);
  }
}
