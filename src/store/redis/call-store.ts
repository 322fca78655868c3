/**
 * The cluster's call store: the chat's mode and initiator live in
 * matchmaking's record of the chat (under {mm}, committed with the pair);
 * the call notes beside the chat's log, under the chat's own tag.
 */
import type { CallNote, CallStore, ChatCall, EndCallResult } from '../call-store';
import { RedisMatchPart } from './match-state';

export class RedisCallStore extends RedisMatchPart implements CallStore {
  chatCall(userId: string): Promise<ChatCall | null> {
    return this.guard('chatCall', async () => {
      const r = await this.redis.chatOf(this.keys.user(userId), this.keys.base);
      if (r.length === 0) return null;
      const [roomId, partnerId, , a, , mode] = r.map(String);
      return { roomId: roomId!, partnerId: partnerId!, mode: mode === 'video' ? 'video' : 'text', initiator: a === userId };
    });
  }

  endCall(userId: string): Promise<EndCallResult> {
    return this.guard('endCall', async () => {
      const r = await this.redis.endCall(this.keys.user(userId), this.keys.base);
      const code = Number(r[0]);
      if (code === 1) return { kind: 'ended', partnerId: String(r[1]), roomId: String(r[2]) };
      return { kind: code === -1 ? 'text' : 'not-in-chat' };
    });
  }

  noteCall(roomId: string, note: CallNote): Promise<void> {
    return this.guard('noteCall', () => this.chats.noteCall(roomId, note));
  }

  callNotes(roomId: string): Promise<CallNote[]> {
    return this.guard('callNotes', () => this.chats.callNotes(roomId));
  }
}
