/**
 * Pins and reactions of topic rooms in Redis. A room's pins are a hash beside
 * its window; a message's reactions live in the message's own entry of the
 * window. Each change is one script that checks the message, changes, logs
 * (for the archiver) and announces on the room's feed in one step.
 */
import { call } from './call';
import { parsePins, parseReactions } from './room-replies';
import { RedisRoomsPart, type Reply } from './rooms-state';
import { pinsInForce, type PinRecord, type PinRequest, type PinResult, type ReactRequest, type ReactResult } from '../rooms-store';

export class RedisRoomMarks extends RedisRoomsPart {
  async pin(code: string, pin: PinRequest, max: number, now: number): Promise<PinResult> {
    return call(async () => {
      const k = this.keys;
      const reply = (await this.run.roomPin(
        k.messages(code),
        k.pins(code),
        k.log(code),
        pin.seq,
        pin.until ?? 0,
        pin.pinnedAt,
        pin.by,
        max,
        now,
        code,
        this.log,
        k.feed(code),
        this.sharded,
        this.retentionMs,
      )) as Reply;
      if (reply === -1) return { kind: 'no-message' };
      if (reply === -2) return { kind: 'too-many' };
      return { kind: 'pinned', pins: pinsInForce(parsePins(String(reply)), now) };
    });
  }

  async unpin(code: string, seq: number, now: number): Promise<PinRecord[] | null> {
    return call(async () => {
      const k = this.keys;
      const reply = (await this.run.roomUnpin(k.pins(code), k.log(code), seq, code, this.log, k.feed(code), this.sharded)) as Reply;
      if (reply === null) return null;
      return pinsInForce(parsePins(String(reply)), now);
    });
  }

  async pins(code: string, now: number): Promise<PinRecord[]> {
    return call(async () => {
      const raw = await this.redis.hvals(this.keys.pins(code));
      return raw.length === 0 ? [] : pinsInForce(parsePins(`[${raw.join(',')}]`), now);
    });
  }

  async react(code: string, { seq, userId, emoji, on, maxEmoji }: ReactRequest): Promise<ReactResult> {
    return call(async () => {
      const k = this.keys;
      const reply = (await this.run.roomReact(
        k.messages(code),
        k.log(code),
        seq,
        userId,
        emoji,
        on ? '1' : '0',
        maxEmoji,
        code,
        this.log,
        k.feed(code),
        this.sharded,
      )) as Reply;
      if (reply === -1) return { kind: 'no-message' };
      if (reply === -2) return { kind: 'too-many' };
      const [changed, list] = reply as [number, string];
      return { kind: changed === 1 ? 'changed' : 'unchanged', reactions: parseReactions(list) };
    });
  }
}
