/**
 * The single node's room outbox: a queue in memory (lost with the process, like
 * the rest of its state), filled by the memory rooms store.
 */
import type { LoggedRoomEvent, RoomEvent, RoomOutbox } from '../room-outbox';

export class MemoryRoomOutbox implements RoomOutbox {
  private entries: LoggedRoomEvent[] = [];
  private next = 0;

  append(event: RoomEvent): void {
    this.entries.push({ id: String(++this.next), event });
  }

  async read(_consumer: string, count: number): Promise<LoggedRoomEvent[]> {
    return this.entries.slice(0, count);
  }

  async ack(ids: readonly string[]): Promise<void> {
    const done = new Set(ids);
    this.entries = this.entries.filter((e) => !done.has(e.id));
  }
}
