/**
 * After a Redis Cluster failover moved a shard, emits to a user's channel
 * published while this node's sharded subscription was moving reached no one.
 * Every chatting user connected here gets the partner's messages of that
 * window again, from the chat log; clients drop the ids they already hold (as
 * they do after a resume, by seq).
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
      for (const m of log.messages) {
        if (m.from === userId || m.sentAt < since) continue;
        socket.emit('message', messageEvent(m, chatId, log.epoch));
        replayed++;
      }
    } catch (err) {
      logger.debug({ err, userId }, 'chat catch-up failed for a user');
    }
  }
  return replayed;
}
