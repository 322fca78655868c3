/**
 * After a Redis Cluster failover moved a shard, emits to a user's channel
 * published while this node's sharded subscription was moving reached no one.
 * Every chatting user connected here gets, from the chat log, the partner's
 * messages after the last one this node sent it (./chat-deliveries), or, when
 * it sent none of this chat, those of the failover's window; clients drop a
 * seq they already hold.
 */
import type { Logger } from 'pino';
import type { ChatStore } from '../store/chat-store';
import type { MatchStore } from '../store/match-store';
import type { ParleyIo } from './types';
import { messageEvent } from '../chat/resume';

export async function catchUpChats(io: ParleyIo, store: Pick<MatchStore, 'getUser'> & Pick<ChatStore, 'chatLog'>, since: number, logger: Logger): Promise<number> {
  let replayed = 0;
  const logs = new Map<string, ReturnType<ChatStore['chatLog']>>();
  for (const socket of io.of('/').sockets.values()) {
    const { userId } = socket.data;
    try {
      const user = await store.getUser(userId);
      if (user.state !== 'chatting' || !user.roomId) continue;
      const chatId = user.roomId;
      if (!logs.has(chatId)) logs.set(chatId, store.chatLog(chatId));
      const log = await logs.get(chatId)!;
      const held = socket.data.delivered?.chatId === chatId ? socket.data.delivered.seq : undefined;
      for (const m of log.messages) {
        if (m.from === userId || (held === undefined ? m.sentAt < since : m.seq <= held)) continue;
        socket.emit('message', messageEvent(m, chatId, log.epoch));
        replayed++;
      }
    } catch (err) {
      logger.debug({ err, userId }, 'chat catch-up failed for a user');
    }
  }
  return replayed;
}
