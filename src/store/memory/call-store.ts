/** The single node's call store, on the shared state's chats. Each method is atomic (no await inside). */
import { CALL_NOTES_CAP, type CallNote, type CallStore, type ChatCall, type EndCallResult } from '../call-store';
import type { MemoryMatchState } from './match-state';

export class MemoryCallStore implements CallStore {
  constructor(private readonly state: MemoryMatchState) {}

  async chatCall(userId: string): Promise<ChatCall | null> {
    const u = this.state.users.get(userId);
    if (u?.state !== 'chatting') return null;
    const chat = this.state.chats.get(u.roomId!);
    return { partnerId: u.partnerId!, roomId: u.roomId!, mode: chat?.mode ?? 'text', initiator: chat?.initiator === userId };
  }

  async endCall(userId: string): Promise<EndCallResult> {
    const u = this.state.users.get(userId);
    if (u?.state !== 'chatting') return { kind: 'not-in-chat' };
    const chat = this.state.chats.get(u.roomId!);
    if (chat?.mode !== 'video') return { kind: 'text' };
    chat.mode = 'text';
    return { kind: 'ended', partnerId: u.partnerId!, roomId: u.roomId! };
  }

  async noteCall(roomId: string, note: CallNote): Promise<void> {
    this.state.chats.noteCall(roomId, note, CALL_NOTES_CAP);
  }

  async callNotes(roomId: string): Promise<CallNote[]> {
    return this.state.chats.callNotes(roomId);
  }
}
