/** The memory rooms store's pins and reactions on live messages of the window. */
import { visible, type MemoryRoomsState } from './rooms-state';
import { applyReaction, pinsInForce, type PinRecord, type PinRequest, type PinResult, type ReactRequest, type ReactResult } from '../rooms-store';

export class MemoryRoomMarks {
  constructor(private readonly state: MemoryRoomsState) {}

  async pin(code: string, request: PinRequest, max: number, now: number): Promise<PinResult> {
    const room = this.state.rooms.get(code);
    const message = this.state.liveMessage(code, request.seq);
    if (!room || !message) return { kind: 'no-message' };
    const kept = pinsInForce(room.pins.values(), now);
    if (kept.filter((p) => p.seq !== request.seq).length >= max) return { kind: 'too-many' };
    room.pins = new Map(kept.map((p) => [p.seq, p]));
    const pin = { ...request, name: message.name, text: message.text };
    room.pins.set(pin.seq, pin);
    this.state.log?.append({ kind: 'pin', code, pin: { ...pin } });
    return { kind: 'pinned', pins: pinsInForce(room.pins.values(), now).map((p) => ({ ...p })) };
  }

  async unpin(code: string, seq: number, now: number): Promise<PinRecord[] | null> {
    const room = this.state.rooms.get(code);
    if (!room?.pins.delete(seq)) return null;
    this.state.log?.append({ kind: 'unpin', code, seq });
    return this.pins(code, now);
  }

  async pins(code: string, now: number): Promise<PinRecord[]> {
    return pinsInForce(this.state.rooms.get(code)?.pins.values() ?? [], now).map((p) => ({ ...p }));
  }

  async react(code: string, { seq, userId, emoji, on, maxEmoji }: ReactRequest): Promise<ReactResult> {
    const message = this.state.liveMessage(code, seq);
    if (!message) return { kind: 'no-message' };
    const before = message.reactions ?? [];
    const after = applyReaction(before, userId, emoji, on, maxEmoji);
    if (after === 'too-many') return { kind: 'too-many' };
    if (after === null) return { kind: 'unchanged', reactions: visible(message).reactions ?? [] };
    if (after.length > 0) message.reactions = after;
    else delete message.reactions;
    this.state.log?.append({ kind: 'react', code, seq, emoji, userId, on });
    return { kind: 'changed', reactions: visible(message).reactions ?? [] };
  }
}
