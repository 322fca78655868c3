/**
 * The single node's chat store: relay, log and message budgets, reading
 * which chat a user is in from the shared state. Each method runs to
 * completion without awaiting, so each is atomic.
 */
import type { ChatLog, ChatPeer, ChatStore, MessageBudget, NewMessage, RelayResult } from '../chat-store';
import type { MemoryMatchState } from './match-state';
import { Budgets } from './message-budgets';

export class MemoryChatStore implements ChatStore {
  private readonly budgets = new Budgets();

  constructor(private readonly state: MemoryMatchState) {}

  async relay(
    userId: string,
    message: NewMessage,
    logCap: number,
    budget: MessageBudget,
    now: number,
    minChatAgeMs = 0,
    clientId?: string,
    chatId?: string,
  ): Promise<RelayResult> {
    const u = this.state.users.get(userId);
    if (u?.state !== 'chatting' || (chatId !== undefined && u.roomId !== chatId)) return { kind: 'not-in-chat' };
    const earlier = clientId ? this.state.chats.sentWith(u.roomId!, userId, clientId) : undefined;
    if (earlier) return { kind: 'duplicate', message: { ...earlier } };
    // A budget per user and chat, as under the chat's own tag in Redis.
    const retryAfterMs = this.budgets.spend(`${u.roomId!}\n${userId}`, budget, now);
    if (retryAfterMs > 0) return { kind: 'rate-limited', retryAfterMs };
    const chat = this.state.chats.get(u.roomId!);
    if (chat && minChatAgeMs > 0 && now - chat.startedAt < minChatAgeMs) {
      return { kind: 'too-early', retryAfterMs: chat.startedAt + minChatAgeMs - now };
    }
    const place = this.state.chats.append(u.roomId!, message, logCap, clientId);
    if (!place) return { kind: 'not-in-chat' };
    const relayed = { kind: 'relayed' as const, partnerId: u.partnerId!, roomId: u.roomId!, ...place };
    const partnerSocket = this.state.liveSocket(u.partnerId!);
    return partnerSocket ? { ...relayed, partnerSocket } : relayed;
  }

  async chatPeer(userId: string): Promise<ChatPeer | null> {
    const u = this.state.users.get(userId);
    if (u?.state !== 'chatting') return null;
    const peer = { partnerId: u.partnerId!, roomId: u.roomId! };
    const partnerSocket = this.state.liveSocket(u.partnerId!);
    return partnerSocket ? { ...peer, partnerSocket } : peer;
  }

  async chatLog(roomId: string): Promise<ChatLog> {
    return this.state.chats.log(roomId);
  }

  /** Forgets budgets whose window has passed. */
  prune(now: number): void {
    this.budgets.prune(now);
  }
}
