/**
 * The cluster's chat store: relay, log and budgets, run on each chat's own
 * shard (./chats, ./lua/chat).
 */
import type { ChatLog, ChatPeer, ChatStore, MessageBudget, NewMessage, RelayResult } from '../chat-store';
import { RedisMatchPart } from './match-state';

export class RedisChatStore extends RedisMatchPart implements ChatStore {
  relay(
    userId: string,
    message: NewMessage,
    logCap: number,
    budget: MessageBudget,
    now: number,
    minChatAgeMs = 0,
    clientId?: string,
    chatId?: string,
  ): Promise<RelayResult> {
    return this.guard('relay', () => this.chats.relay(userId, message, logCap, budget, now, minChatAgeMs, clientId, chatId));
  }

  chatPeer(userId: string): Promise<ChatPeer | null> {
    return this.guard('chatPeer', () => this.chats.peer(userId));
  }

  chatLog(roomId: string): Promise<ChatLog> {
    return this.guard('chatLog', () => this.chats.log(roomId));
  }
}
