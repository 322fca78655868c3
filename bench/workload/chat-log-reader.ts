/**
 * The closing count of an ended one-to-one chat, read by a load process
 * straight from Redis: the chat's epoch and log, what a `sync` through a node
 * would answer (the same `missedSince`), without the node serving it. A user
 * of the web app sends no `sync` when a chat ends; the workload's users did,
 * only so the delivery checker knows what each was owed, and every chat cost
 * its node two requests, two budget spends and two log reads no real user
 * asks for.
 */
import Redis from 'ioredis';
import { missedSince } from '../../src/chat/resume';
import type { LoggedMessage } from '../../src/store/chat-store';
import { createKeys, type Keys } from '../../src/store/redis/keys';
import type { ClosingRead } from '../../testkit/chat-stream';

export interface ChatLogSource {
  /** The nodes' Redis (one server). */
  redisUrl: string;
  /** The nodes' REDIS_PREFIX. */
  prefix: string;
}

export class ChatLogReader {
  private readonly redis: Redis;
  private readonly keys: Keys;

  constructor(source: ChatLogSource) {
    this.redis = new Redis(source.redisUrl, { maxRetriesPerRequest: 2 });
    this.keys = createKeys(source.prefix);
  }

  /** For ChatStream: null when the chat's record is gone (its tombstone expired) or Redis did not answer. */
  read(userId: () => string): ClosingRead {
    return async (chatId, afterSeq, epoch) => {
      const replies = await this.redis.multi().hget(this.keys.chat(chatId), 'epoch').lrange(this.keys.chatLog(chatId), 0, -1).exec();
      if (!replies || replies.some(([err]) => err)) return null;
      const chatEpoch = (replies[0]![1] as string | null) ?? '';
      const entries = replies[1]![1] as string[];
      if (!chatEpoch && entries.length === 0) return null;
      const log = { epoch: chatEpoch, messages: entries.map((entry) => JSON.parse(entry) as LoggedMessage) };
      const messages = missedSince(log, { lastSeq: afterSeq, ...(epoch !== undefined ? { epoch } : {}) }, chatId, userId());
      return { epoch: log.epoch, lastSeq: log.messages.at(-1)?.seq ?? 0, messages, hasMore: false };
    };
  }

  close(): void {
    this.redis.disconnect();
  }
}
