/**
 * The cluster's room outbox, read by the archivers. Rooms spread over
 * ROOM_SHARDS shards; each shard logs its rooms' changes in one stream,
 * written by the same script as the change (so nothing is stored without
 * being logged, and room traffic stays on the room's shard). The live
 * archivers share the shards under leases renewed every few seconds; an
 * archiver reads each of its shards' logs with one command per pass, writes
 * the entries and deletes them with one more. A dead archiver's shards are
 * taken by the others once its lease runs out (writes are idempotent).
 */
import type { LoggedRoomEvent, RoomEvent, RoomOutbox } from '../room-outbox';
import type { RoomRecord } from '../rooms-store';
import { call } from './call';
import { ROOM_SHARDS, type RoomKeys } from './keys';
import { settingsOf } from './room-moderation';
import { mentionsOf, parseMessage, parsePin } from './room-replies';
import { defineScripts, type ParleyCommands, type RedisClient } from './scripts';

export interface RedisRoomOutboxOptions {
  /** How long an archiver's lease on its shards lasts; a dead node's shards wait this long. */
  leaseMs?: number;
  /** How often an archiver renews its lease (and takes its share of free shards). */
  renewMs?: number;
}

type LeaseCommands = Pick<ParleyCommands, 'roomArchivers'>;
type StreamEntry = [id: string, fields: string[]];

function fieldsOf(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

/** The event of a stream entry, or null for an entry this version does not know. */
function eventOf(fields: Record<string, string>): RoomEvent | null {
  switch (fields.k) {
    case 'room':
      return { kind: 'room', room: JSON.parse(fields.r!) as RoomRecord };
    case 'message': {
      const message = parseMessage(fields.m!, Number(fields.s));
      return message ? { kind: 'message', code: fields.c!, message } : null;
    }
    case 'delete':
      return { kind: 'delete', code: fields.c!, seq: Number(fields.s) };
    case 'role':
      return { kind: 'role', code: fields.c!, userId: fields.u!, role: fields.r === 'cohost' ? 'cohost' : 'member' };
    case 'mute':
      return { kind: 'mute', code: fields.c!, userId: fields.u!, until: Number(fields.t) };
    case 'settings': {
      const s = JSON.parse(fields.j!) as { slowModeS: number; description: string; rules: string };
      return { kind: 'settings', code: fields.c!, settings: settingsOf(s.slowModeS, s.description, s.rules) };
    }
    case 'pin':
      return { kind: 'pin', code: fields.c!, pin: parsePin(fields.p!) };
    case 'unpin':
      return { kind: 'unpin', code: fields.c!, seq: Number(fields.s) };
    case 'react':
      return { kind: 'react', code: fields.c!, seq: Number(fields.s), emoji: fields.e!, userId: fields.u!, on: fields.on === '1' };
    case 'edit': {
      const mentions = fields.mn ? mentionsOf(JSON.parse(fields.mn)) : undefined;
      return { kind: 'edit', code: fields.c!, seq: Number(fields.s), text: fields.t!, editedAt: Number(fields.a), ...(mentions ? { mentions } : {}) };
    }
    case 'gone':
      return { kind: 'gone', code: fields.c! };
    default:
      return null;
  }
}

export class RedisRoomOutbox implements RoomOutbox {
  private readonly run: LeaseCommands;
  /** The shards this node archives, as the last renewal returned them. */
  private shards: number[] = [];
  private renewedAt = -Infinity;
  /** The last read left entries in a log (it took its share of the batch). */
  private left = false;
  /** The log to go first in the next read, so every log gets its turn. */
  private turn = 0;

  private readonly leaseMs: number;
  private readonly renewMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RoomKeys,
    options: RedisRoomOutboxOptions = {},
  ) {
    this.run = defineScripts(redis);
    this.leaseMs = options.leaseMs ?? 10_000;
    this.renewMs = options.renewMs ?? 2_000;
  }

  read(consumer: string, count: number): Promise<LoggedRoomEvent[]> {
    return call(() => this.take(consumer, count));
  }

  /** Renews this archiver's lease when due; returns the shard logs it holds. */
  private async held(consumer: string): Promise<string[]> {
    const now = Date.now();
    if (now - this.renewedAt >= this.renewMs) {
      const shards = (await this.run.roomArchivers(this.keys.archivers, consumer, now, this.leaseMs, ROOM_SHARDS, '0'));
      this.shards = shards.map(Number);
      this.renewedAt = now;
    }
    return this.shards.map((n) => this.keys.logs[n]!);
  }

  private async take(consumer: string, count: number): Promise<LoggedRoomEvent[]> {
    // What an earlier pass took and did not acknowledge (its write failed) is
    // still in the logs: it is read again now.
    this.left = false;
    const logs = await this.held(consumer);
    if (logs.length === 0) return [];
    // First an even share of the batch from every log; then what is left of
    // the batch from the logs that filled their share (they may hold more).
    const share = Math.max(1, Math.ceil(count / logs.length));
    const read = (log: string, from: string, most: number) =>
      this.redis.xrange(log, from, '+', 'COUNT', most) as Promise<StreamEntry[]>;
    const taken = await Promise.all(logs.map((log) => read(log, '-', share)));
    // A log that gave all it was last asked for may hold more.
    const filled = new Set(logs.map((_, i) => i).filter((i) => taken[i]!.length === share));
    const room = count - taken.reduce((sum, entries) => sum + entries.length, 0);
    if (room > 0 && filled.size > 0) {
      const full = [...filled];
      const more = Math.ceil(room / full.length);
      const again = await Promise.all(full.map((i) => read(logs[i]!, `(${taken[i]!.at(-1)![0]}`, more)));
      full.forEach((i, j) => {
        taken[i]!.push(...again[j]!);
        if (again[j]!.length < more) filled.delete(i);
      });
    }
    // Each log's entries in its order, up to the batch (the logs take turns
    // to go first); what does not fit stays in its log for the next pass.
    this.turn = (this.turn + 1) % logs.length;
    let budget = count;
    const out: LoggedRoomEvent[] = [];
    const unknown: Promise<unknown>[] = [];
    logs.forEach((_, k) => {
      const i = (this.turn + k) % logs.length;
      const log = logs[i]!;
      const entries = taken[i]!.slice(0, budget);
      if (entries.length < taken[i]!.length) filled.add(i);
      budget -= entries.length;
      for (const [id, fields] of entries) {
        const event = eventOf(fieldsOf(fields));
        if (event) out.push({ id: `${log}\n${id}`, event });
        else unknown.push(this.redis.xdel(log, id)); // an entry this version does not know: dropped
      }
    });
    this.left = filled.size > 0;
    await Promise.all(unknown);
    return out;
  }

  /** The last read left entries in a log: read again without pausing. */
  hasMore(): boolean {
    return this.left;
  }

  async ack(ids: readonly string[]): Promise<void> {
    const byLog = new Map<string, string[]>();
    for (const id of ids) {
      const cut = id.lastIndexOf('\n');
      const log = id.slice(0, cut);
      const list = byLog.get(log) ?? [];
      list.push(id.slice(cut + 1));
      byLog.set(log, list);
    }
    await call(() => Promise.all([...byLog].map(([log, list]) => this.redis.xdel(log, ...list))));
  }

  /** Gives this archiver's shards up at once, so the other nodes take them without waiting for the lease to end. */
  async release(consumer: string): Promise<void> {
    this.shards = [];
    this.renewedAt = -Infinity;
    await call(() => this.run.roomArchivers(this.keys.archivers, consumer, Date.now(), this.leaseMs, ROOM_SHARDS, '1'));
  }
}
