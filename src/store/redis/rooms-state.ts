/**
 * What the Redis rooms store's parts share: the client with its room
 * scripts, the keys, the settings, and the two steps all of them take (a
 * room's own keys; marking its log for the archiver).
 */
import type { RoomKeys } from './keys';
import type { RoomReply } from './room-replies';
import { defineScripts, type ParleyCommands, type RedisClient } from './scripts';
import { DEFAULT_EMPTY_TTL_MS, DEFAULT_RETENTION_MS, RECENT_MESSAGES } from '../rooms-store';

export type Reply = RoomReply;
type RoomCommands = Pick<
  ParleyCommands,
  | 'roomCreate'
  | 'roomReserve'
  | 'roomJoin'
  | 'roomRemove'
  | 'roomAppend'
  | 'roomDelete'
  | 'roomEdit'
  | 'roomPin'
  | 'roomUnpin'
  | 'roomReact'
  | 'roomRestore'
  | 'roomPresence'
  | 'roomDue'
  | 'roomDestroy'
  | 'roomModerate'
  | 'roomSettings'
>;

/** A member's entry in the away schedule and the per-node sets. */
export const entry = (code: string, userId: string): string => `${code}\n${userId}`;

export interface RedisRoomsOptions {
  /** Record every change in the room's log for the archiver (set with PostgreSQL). */
  log?: boolean;
  /** Messages kept in each room's recent window. */
  recentCap?: number;
  /** How long a message is kept (ROOM_HISTORY_DAYS); older ones leave the window. */
  retentionMs?: number;
  /** How long a room a user created stays after its last member left (ROOM_EMPTY_TTL_HOURS). */
  emptyTtlMs?: number;
}

export class RedisRoomsState {
  readonly run: RoomCommands;
  readonly log: '1' | '0';
  readonly recentCap: number;
  readonly retentionMs: number;
  readonly emptyTtlMs: number;
  /** Room feeds on sharded pub/sub (SPUBLISH), as on Redis Cluster. */
  readonly sharded: '1' | '0';

  constructor(
    readonly redis: RedisClient,
    readonly keys: RoomKeys,
    options: RedisRoomsOptions = {},
  ) {
    this.log = options.log ? '1' : '0';
    this.recentCap = options.recentCap ?? RECENT_MESSAGES;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.emptyTtlMs = options.emptyTtlMs ?? DEFAULT_EMPTY_TTL_MS;
    this.sharded = redis.isCluster ? '1' : '0';
    this.run = defineScripts(redis);
  }
}

/** One part of the rooms store: its methods read the shared client, keys and settings as their own. */
export abstract class RedisRoomsPart {
  protected readonly redis: RedisClient;
  protected readonly keys: RoomKeys;
  protected readonly run: RoomCommands;
  protected readonly log: '1' | '0';
  protected readonly recentCap: number;
  protected readonly retentionMs: number;
  protected readonly emptyTtlMs: number;
  protected readonly sharded: '1' | '0';

  constructor(state: RedisRoomsState) {
    this.redis = state.redis;
    this.keys = state.keys;
    this.run = state.run;
    this.log = state.log;
    this.recentCap = state.recentCap;
    this.retentionMs = state.retentionMs;
    this.emptyTtlMs = state.emptyTtlMs;
    this.sharded = state.sharded;
  }

  protected roomKeys(code: string): string[] {
    const k = this.keys;
    return [k.room(code), k.members(code), k.names(code), k.kicked(code), k.seq(code)];
  }

  /** The room's keys that expire with it once it is empty (and are kept when someone joins): the above and its backstage links. */
  protected lifetimeKeys(code: string): string[] {
    const k = this.keys;
    return [...this.roomKeys(code), k.backstage(code), k.backstageInvites(code), k.backstageParent(code)];
  }
}
