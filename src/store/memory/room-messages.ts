/** The memory rooms store's messages: appends (budget, retries, mutes, slow mode), the window, history, deletions and edits. */
import { visible, type KeptMessage, type MemoryRoomsState } from './rooms-state';
import {
  ROOM_CLIENT_ID_WINDOW_MS,
  type AppendedRoomMessage,
  type AppendRefusal,
  type HistoryPage,
  type HistoryQuery,
  type MessageEdit,
  type NewRoomMessage,
  type OwnMessageChange,
  type OwnMessageGuard,
  type StoredRoomMessage,
  type SystemRoomMessage,
} from '../rooms-store';

export class MemoryRoomMessages {
  constructor(private readonly state: MemoryRoomsState) {}

  async append(code: string, userId: string, { clientId, budget, ...message }: NewRoomMessage): Promise<AppendedRoomMessage | AppendRefusal | null> {
    // A budget per member and room, as under the room's own tag in Redis.
    const retryAfterMs = budget ? this.state.budgets.spend(`${code}\n${userId}`, budget, message.sentAt) : 0;
    if (retryAfterMs > 0) return { refused: 'rate-limited', retryAfterMs };
    const room = this.state.rooms.get(code);
    const member = room?.members.get(userId);
    if (!room || !member) return null;
    const sentKey = `${userId}\n${clientId}`;
    const earlier = clientId ? room.sent.get(sentKey) : undefined;
    if (earlier && earlier.until > message.sentAt) return { ...earlier.message, duplicate: true };
    if (member.mutedUntil > message.sentAt) return { refused: 'muted', until: member.mutedUntil };
    if (room.settings.slowModeS > 0 && member.role === 'member') {
      const next = (room.lastSent.get(userId) ?? 0) + room.settings.slowModeS * 1000;
      if (next > message.sentAt) return { refused: 'slow-mode', retryAfterMs: next - message.sentAt };
      room.lastSent.set(userId, message.sentAt);
    }
    const stored = this.state.store(room, { from: userId, name: member.name, ...message, ...(member.host ? { kind: 'host' as const } : {}) });
    if (clientId) room.sent.set(sentKey, { message: { ...stored }, until: message.sentAt + ROOM_CLIENT_ID_WINDOW_MS });
    return { ...stored };
  }

  async announce(code: string, message: SystemRoomMessage): Promise<StoredRoomMessage | null> {
    const room = this.state.rooms.get(code);
    return room ? { ...this.state.store(room, { from: '', name: '', ...message, kind: 'system' }) } : null;
  }

  async messagesAfter(code: string, afterSeq: number, limit: number): Promise<StoredRoomMessage[]> {
    return this.state
      .live(code)
      .filter((m) => m.seq > afterSeq)
      .slice(0, limit);
  }

  async lastSeq(code: string): Promise<number> {
    return this.state.rooms.get(code)?.lastSeq ?? 0;
  }

  async recentMessages(code: string, limit: number): Promise<StoredRoomMessage[]> {
    return this.state.live(code).slice(-limit);
  }

  async history(code: string, query: HistoryQuery): Promise<HistoryPage> {
    const older = this.state.live(code).filter((m) => m.sentAt >= query.notBefore && (query.before === undefined || m.seq < query.before));
    const room = this.state.rooms.get(code);
    const oldestKept = room?.messages[0]?.seq ?? (room?.lastSeq ?? 0) + 1;
    return { messages: older.slice(-query.limit), hasMore: older.length > query.limit, oldestKept };
  }

  async deleteMessage(code: string, seq: number): Promise<boolean> {
    const message = this.state.liveMessage(code, seq);
    if (!message) return false;
    message.deleted = true;
    delete message.reactions;
    this.state.log?.append({ kind: 'delete', code, seq });
    return true;
  }

  async deleteOwnMessage(code: string, seq: number, guard: OwnMessageGuard): Promise<OwnMessageChange> {
    const found = this.own(code, seq, guard);
    if (found.kind !== 'done') return found;
    await this.deleteMessage(code, seq);
    return { kind: 'done', message: undefined };
  }

  async editMessage(code: string, seq: number, edit: MessageEdit, guard: OwnMessageGuard): Promise<OwnMessageChange<StoredRoomMessage>> {
    const found = this.own(code, seq, guard);
    if (found.kind !== 'done') return found;
    const message = found.message;
    message.text = edit.text;
    message.editedAt = edit.editedAt;
    if (edit.mentions?.length) message.mentions = [...edit.mentions];
    else delete message.mentions;
    this.state.log?.append({ kind: 'edit', code, seq, ...edit });
    return { kind: 'done', message: visible(message) };
  }

  /** The live message at `seq` when the guard allows changing it. */
  private own(code: string, seq: number, guard: OwnMessageGuard): OwnMessageChange<KeptMessage> {
    const message = this.state.liveMessage(code, seq);
    if (!message) return { kind: 'missing' };
    if (message.from !== guard.userId || message.sentAt < guard.sentSince) return { kind: 'not-allowed' };
    return { kind: 'done', message };
  }
}
