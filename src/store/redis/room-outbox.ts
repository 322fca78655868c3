/**
 * The cluster's room outbox, read by the archivers. Each room logs its changes
 * in a stream of its own, written by the same script as the change (so
 * nothing is stored without being logged, and room traffic stays on the
 * room's shard), and is marked in one of the pending sets. An archiver takes
 * a pending room under a short lease, writes its entries, deletes them, and
 * drops the mark unless a newer change raised it. A dead archiver's lease runs
 * out and another node takes the room again (writes are idempotent).
 */
import type { Cluster, Redis } from 'ioredis';
import type { LoggedRoomEvent, RoomEvent, RoomOutbox } from '../room-outbox';
import type { RoomRecord } from '../rooms-store';
import { call } from './call';
import type { RoomKeys } from './keys';
import { settingsOf } from './room-moderation';
import { mentionsOf, parseMessage, parsePin } from './room-replies';
import { defineScripts, type ParleyCommands, type RedisClient } from './scripts';
/** How long a node holds a room it is archiving; a dead node's rooms wait this long. */
const LEASE_MS = 10_000;
/** Pending rooms read from each set per pass. */
const ROOMS_PER_SET = 64;
/** Rooms taken per pass; a pass takes about `count` entries spread over them. */
const ROOMS_PER_PASS = 64;
/** A room marked this many changes is taken at once, however short it has been pending. */
const GATHER_MARK = 4;

export interface RedisRoomOutboxOptions {
  /**
   * How long a quiet room (marked fewer than GATHER_MARK changes) waits
   * before it is taken, so its log is taken in one batch rather than entry by
   * entry (a take, a done and a mark dropped per batch). 0: at once.
   */
  gatherMs?: number;
}

type LogCommands = Pick<ParleyCommands, 'roomLogTake' | 'roomLogDone' | 'roomPendingDone'>;
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
    default:
      return null;
  }
}

interface Taken {
  consumer: string;
  /** Pending-set mark as read before the entries were taken. */
  mark: number;
  ids: string[];
  /**
   * The take got all the log held and all of it is written: any later entry
   * was logged after the mark was read and raised it, so the log need not be
   * counted before the mark is dropped.
   */
  whole: boolean;
}

export class RedisRoomOutbox implements RoomOutbox {
  private readonly run: LogCommands;
  /** Rooms this node took and has not acknowledged yet. */
  private readonly taken = new Map<string, Taken>();
  /** Pending set to start the next pass at, so every set gets its turn first. */
  private turn = 0;
  /** Rooms the last read found held by another archiver. */
  private heldElsewhere = 0;
  /** Rooms the last read left to gather more changes. */
  private gathering = 0;
  /** When this node first saw each pending room, with the mark it had then (a lower mark: marked anew). */
  private readonly pendingSince = new Map<string, { since: number; mark: number }>();
  private readonly gatherMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RoomKeys,
    options: RedisRoomOutboxOptions = {},
  ) {
    this.run = defineScripts(redis);
    this.gatherMs = options.gatherMs ?? 0;
  }

  /** Whether a pending room is due: marked often enough, or pending for the gathering time. */
  private due(code: string, mark: number, now: number): boolean {
    const seen = this.pendingSince.get(code);
    const since = seen && mark >= seen.mark ? seen.since : now;
    this.pendingSince.set(code, { since, mark });
    if (mark >= GATHER_MARK || now - since >= this.gatherMs) return true;
    this.gathering++;
    return false;
  }

  read(consumer: string, count: number): Promise<LoggedRoomEvent[]> {
    return call(() => this.take(consumer, count));
  }

  private async take(consumer: string, count: number): Promise<LoggedRoomEvent[]> {
    // What an earlier pass took and did not acknowledge (its write failed) is
    // still in the logs, under this node's lease: it is taken again now.
    this.taken.clear();
    const sets = this.keys.pendingSets;
    this.turn = (this.turn + 1) % sets.length;
    const order = sets.map((_, i) => sets[(this.turn + i) % sets.length]!);
    const marks = await Promise.all(order.map((key) => this.redis.zrange(key, 0, ROOMS_PER_SET - 1, 'WITHSCORES')));
    const rooms: { code: string; mark: number }[] = [];
    const now = Date.now();
    const seen = new Set<string>();
    this.gathering = 0;
    for (const list of marks) {
      for (let j = 0; j < list.length && rooms.length < Math.min(ROOMS_PER_PASS, count); j += 2) {
        const code = list[j]!;
        const mark = Number(list[j + 1]);
        seen.add(code);
        if (this.gatherMs === 0 || this.due(code, mark, now)) rooms.push({ code, mark });
      }
    }
    // Rooms taken now start gathering afresh when marked again; rooms no longer pending are forgotten.
    for (const code of this.pendingSince.keys()) if (!seen.has(code)) this.pendingSince.delete(code);
    for (const { code } of rooms) this.pendingSince.delete(code);
    const take = (code: string, most: number) =>
      this.run.roomLogTake(this.keys.log(code), this.keys.archiving(code), consumer, LEASE_MS, most) as Promise<StreamEntry[] | null>;
    // First an even share of the batch from every room; then what is left of
    // the batch from the rooms that filled their share (they may hold more),
    // reading their logs again from the start under the lease already held.
    const share = Math.max(1, Math.ceil(count / Math.max(1, rooms.length)));
    const asked = rooms.map(() => share);
    const taken = await Promise.all(rooms.map(({ code }) => take(code, share)));
    const left = count - taken.reduce((sum, entries) => sum + (entries?.length ?? 0), 0);
    const full = rooms.map((_, i) => i).filter((i) => taken[i]?.length === share);
    if (left > 0 && full.length > 0) {
      const more = share + Math.ceil(left / full.length);
      const again = await Promise.all(full.map((i) => take(rooms[i]!.code, more)));
      full.forEach((i, j) => {
        taken[i] = again[j] ?? taken[i] ?? null;
        if (again[j]) asked[i] = more;
      });
    }
    // Each room's entries in its order; rooms share the batch evenly, and
    // what does not fit stays in the room's log for the next pass.
    this.heldElsewhere = taken.filter((entries) => entries === null).length;
    const held = rooms.flatMap(({ code, mark }, i) => {
      const entries = taken[i];
      return entries ? [{ code, mark, entries, used: 0, asked: asked[i]! }] : []; // null: another archiver holds the room
    });
    let budget = count;
    for (let open = held.length; budget > 0 && open > 0; ) {
      open = 0;
      const share = Math.max(1, Math.floor(budget / held.length));
      for (const room of held) {
        const more = Math.min(share, room.entries.length - room.used, budget);
        room.used += more;
        budget -= more;
        if (room.used < room.entries.length) open++;
      }
    }
    const out: LoggedRoomEvent[] = [];
    const settleNow: Promise<void>[] = [];
    for (const { code, mark, entries, used, asked } of held) {
      const batch = entries.slice(0, used);
      const whole = entries.length < asked && used === entries.length;
      this.taken.set(code, { consumer, mark, ids: batch.map(([id]) => id), whole });
      const events = batch.flatMap(([id, fields]) => {
        const event = eventOf(fieldsOf(fields));
        return event ? [{ id: `${code}\n${id}`, event }] : [];
      });
      // Nothing to write (another node wrote it, or entries this version
      // does not know): settle the room now.
      if (events.length === 0) settleNow.push(this.settle(code));
      else out.push(...events);
    }
    await Promise.all(settleNow);
    return out;
  }

  /** Pending rooms were left this pass: held by another archiver, or gathering changes. */
  contended(): boolean {
    return this.heldElsewhere > 0 || this.gathering > 0;
  }

  async ack(ids: readonly string[]): Promise<void> {
    const rooms = new Set(ids.map((id) => id.slice(0, id.indexOf('\n'))));
    await call(() => Promise.all([...rooms].map((code) => this.settle(code))));
  }

  /** Deletes the room's written entries, gives up the lease and, if nothing is left, the mark. */
  private async settle(code: string): Promise<void> {
    const taken = this.taken.get(code);
    if (!taken) return;
    this.taken.delete(code);
    const left = await this.run.roomLogDone(this.keys.log(code), this.keys.archiving(code), taken.consumer, taken.whole ? '0' : '1', ...taken.ids);
    if (taken.whole || Number(left) === 0) await this.run.roomPendingDone(this.keys.pending(code), code, taken.mark);
  }

  /**
   * Marks every room whose log holds entries: a node that stopped between a
   * change and its mark leaves such a log unmarked. Run when an archiver
   * starts; returns the rooms marked.
   */
  async recover(): Promise<number> {
    let marked = 0;
    // A Redis Cluster scans master by master.
    const servers = this.redis.isCluster ? (this.redis as Cluster).nodes('master') : [this.redis as Redis];
    for (const server of servers) {
      const stream = server.scanStream({ match: this.keys.logPattern, type: 'stream', count: 1000 });
      for await (const batch of stream as AsyncIterable<string[]>) {
        for (const key of batch) {
          const code = this.codeOf(key);
          if (code !== null && (await this.redis.xlen(key)) > 0) {
            await this.redis.zincrby(this.keys.pending(code), 1, code);
            marked++;
          }
        }
      }
    }
    return marked;
  }

  private codeOf(key: string): string | null {
    const open = key.indexOf('{r:');
    const close = key.lastIndexOf('}:log');
    return open >= 0 && close > open ? key.slice(open + 3, close) : null;
  }
}
