/**
 * The room feed over Redis pub/sub: one channel per room, on a connection of
 * its own. On Redis Cluster the channel is sharded (SSUBSCRIBE; the room's
 * scripts SPUBLISH), so a room's feed lives on the room's own shard.
 */
import type { RoomKeys } from './keys';
import type { RedisClient } from './scripts';
import type { RoomFeed, RoomFeedEvent } from '../room-feed';
import { parseEdit, parseMessage, parsePins, parseReactions } from './room-replies';

/**
 * Decodes what room-append-7.lua (`m<seq>\n<json>`), room-delete-2.lua
 * (`d<seq>`), room-edit-2.lua (`e<seq>\n<json>`), room-pin-3.lua and
 * room-unpin-2.lua (`p<pins json>`) and room-react-2.lua
 * (`x<seq>\n<reactions json>`) publish.
 */
export function decodeFeed(payload: string): RoomFeedEvent | null {
  if (payload.startsWith('d')) return { kind: 'deleted', seq: Number(payload.slice(1)) };
  if (payload.startsWith('p')) return { kind: 'pins', pins: parsePins(payload.slice(1)) };
  const newline = payload.indexOf('\n');
  if (payload.startsWith('x') && newline > 0) {
    return { kind: 'reactions', seq: Number(payload.slice(1, newline)), reactions: parseReactions(payload.slice(newline + 1)) };
  }
  if (newline < 0) return null;
  if (payload.startsWith('e')) return { kind: 'edited', seq: Number(payload.slice(1, newline)), ...parseEdit(payload.slice(newline + 1)) };
  if (!payload.startsWith('m')) return null;
  const message = parseMessage(payload.slice(newline + 1), Number(payload.slice(1, newline)));
  return message ? { kind: 'message', message } : null;
}

export class RedisRoomFeed implements RoomFeed {
  /** Room code → its first subscription, for the rooms followed. */
  private readonly following = new Map<string, Promise<void>>();
  /** Channel → room code, for the rooms followed. */
  private readonly codes = new Map<string, string>();
  private listener: (code: string, event: RoomFeedEvent) => void = () => undefined;
  private resubscribed: (code: string) => void = () => undefined;
  private connectedOnce = false;

  private readonly sharded: boolean;

  /**
   * `subscriber` is a connection used for nothing else (on Redis Cluster, a
   * Cluster with `shardedSubscribers`); the feed owns it from now on.
   */
  constructor(
    private readonly subscriber: RedisClient,
    private readonly keys: RoomKeys,
  ) {
    this.sharded = subscriber.isCluster;
    subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, payload: string) => {
      const code = this.codes.get(channel);
      const event = code === undefined ? null : decodeFeed(payload);
      if (code !== undefined && event) this.listener(code, event);
    });
    // ioredis subscribes again by itself — on a reconnect, and on Redis
    // Cluster whenever it replaces a shard's subscriber (a dropped connection,
    // a failover, a slot move) — but tells no one when that is done, and
    // 'ready' comes before it. So the feed subscribes each room again itself
    // and reports it once Redis confirmed: only from then on is nothing missed.
    if (this.sharded) {
      subscriber.on('subscribersReady', () => this.resubscribeAll());
    } else {
      subscriber.on('ready', () => {
        if (this.connectedOnce) this.resubscribeAll();
        this.connectedOnce = true;
      });
      if (subscriber.status === 'ready') this.connectedOnce = true;
    }
  }

  private subscribe(channel: string): Promise<unknown> {
    return this.sharded ? this.subscriber.ssubscribe(channel) : this.subscriber.subscribe(channel);
  }

  private resubscribeAll(): void {
    for (const [code, first] of this.following) {
      this.subscribe(this.keys.feed(code)).then(
        () => {
          if (this.following.get(code) === first) this.resubscribed(code);
        },
        // The connection went again: its next 'ready' (or the shard's next subscriber) tries again.
        () => undefined,
      );
    }
  }

  follow(code: string): Promise<void> {
    let subscribed = this.following.get(code);
    if (!subscribed) {
      const channel = this.keys.feed(code);
      this.codes.set(channel, code);
      subscribed = this.subscribe(channel).then(
        () => undefined,
        (err: unknown) => {
          if (this.following.get(code) === subscribed) this.following.delete(code);
          throw err;
        },
      );
      this.following.set(code, subscribed);
    }
    return subscribed;
  }

  unfollow(code: string): void {
    if (!this.following.delete(code)) return;
    const channel = this.keys.feed(code);
    this.codes.delete(channel);
    (this.sharded ? this.subscriber.sunsubscribe(channel) : this.subscriber.unsubscribe(channel)).catch(() => undefined);
  }

  onEvent(listener: (code: string, event: RoomFeedEvent) => void): void {
    this.listener = listener;
  }

  onResubscribed(listener: (code: string) => void): void {
    this.resubscribed = listener;
  }

  async close(): Promise<void> {
    this.following.clear();
    this.codes.clear();
    await this.subscriber.quit().catch(() => undefined);
  }
}
