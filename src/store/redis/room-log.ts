/**
 * The cluster's room log: one Redis stream read by the consumer group
 * `archiver`. Entries stay pending until acknowledged, so a writer that dies
 * mid-batch loses nothing: after CLAIM_IDLE_MS another node claims them.
 */
import type { Redis } from 'ioredis';
import { unavailable } from '../redis-store';
import type { LoggedRoomEvent, RoomEvent, RoomLog } from '../room-log';

const GROUP = 'archiver';
/** An entry pending this long with a consumer counts as abandoned. */
const CLAIM_IDLE_MS = 30_000;

type StreamEntry = [id: string, fields: string[]];

function parse(entries: StreamEntry[]): LoggedRoomEvent[] {
  return entries
    .filter(([, fields]) => Array.isArray(fields) && fields[0] === 'e')
    .map(([id, fields]) => ({ id, event: JSON.parse(fields[1]!) as RoomEvent }));
}

export class RedisRoomLog implements RoomLog {
  private group: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  private ensureGroup(): Promise<void> {
    return (this.group ??= this.redis.xgroup('CREATE', this.key, GROUP, '0', 'MKSTREAM').then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof Error && err.message.includes('BUSYGROUP')) return;
        this.group = undefined;
        throw err;
      },
    ));
  }

  async append(event: RoomEvent): Promise<void> {
    try {
      await this.redis.xadd(this.key, '*', 'e', JSON.stringify(event));
    } catch (err) {
      throw unavailable(err);
    }
  }

  async read(consumer: string, count: number): Promise<LoggedRoomEvent[]> {
    await this.ensureGroup();
    const readFrom = async (id: string) => {
      const reply = (await this.redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', this.key, id)) as
        | [string, StreamEntry[]][]
        | null;
      return parse(reply?.[0]?.[1] ?? []);
    };
    const mine = await readFrom('0');
    if (mine.length > 0) return mine;
    const claimed = (await this.redis.xautoclaim(this.key, GROUP, consumer, CLAIM_IDLE_MS, '0', 'COUNT', count)) as [
      string,
      StreamEntry[],
    ];
    const abandoned = parse(claimed[1] ?? []);
    if (abandoned.length > 0) return abandoned;
    return readFrom('>');
  }

  async ack(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.pipeline().xack(this.key, GROUP, ...ids).xdel(this.key, ...ids).exec();
  }
}
