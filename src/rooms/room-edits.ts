/**
 * A member's own messages changed after sending: edited or deleted within
 * ROOM_EDIT_WINDOW_MS; the host and co-hosts delete any message, operators
 * remove one. An edit keeps the message's seq.
 */
import { ClientError } from '../errors';
import type { OwnMessageGuard } from '../store/rooms-store';
import { mentionedMembers } from './mentions';
import type { RoomPolicy } from './ports';
import type { RoomServiceDeps } from './room-deps';
import type { RoomMarks } from './room-marks';
import { checkText, notInRoom } from './room-refusals';
import { editedView } from './views';

export class RoomEdits {
  constructor(
    private readonly deps: RoomServiceDeps,
    private readonly policy: Pick<RoomPolicy, 'roomEditWindowMs' | 'maxMessageLength'>,
    private readonly marks: RoomMarks,
  ) {}

  /**
   * Replaces the text of the member's own message sent within
   * ROOM_EDIT_WINDOW_MS; it keeps its seq, and every member gets
   * `room-message-edited`. The mentions follow the new text; nobody is
   * notified again (a mention notifies once, when the message is sent).
   */
  async edit(userId: string, code: string, seq: number, text: string): Promise<{ seq: number; text: string; editedAt: number }> {
    checkText(text, this.policy.maxMessageLength);
    const { store, clock } = this.deps;
    const members = await store.members(code);
    if (!members.some((m) => m.userId === userId)) throw await notInRoom(this.deps, code);
    const mentions = mentionedMembers(text, members, userId).map((m) => m.name);
    const editedAt = clock.now();
    const edit = { text, editedAt, ...(mentions.length > 0 ? { mentions } : {}) };
    const result = await store.editMessage(code, seq, edit, this.ownGuard(userId, editedAt));
    if (result.kind !== 'done') throw this.notOwn('edited');
    this.deps.notifier.edited(editedView(code, seq, edit));
    await this.marks.repin(code, seq, editedAt);
    return { seq, text, editedAt };
  }

  /** The host and co-hosts delete any message, a member its own within ROOM_EDIT_WINDOW_MS. */
  async deleteMessage(userId: string, code: string, seq: number): Promise<void> {
    const { store, clock } = this.deps;
    const member = await store.member(code, userId);
    if (!member) throw await notInRoom(this.deps, code);
    // Deleting a message that is not there (or is already gone) is a no-op.
    if (member.role === 'host' || member.role === 'cohost') {
      await this.removeMessage(code, seq);
      return;
    }
    const result = await store.deleteOwnMessage(code, seq, this.ownGuard(userId, clock.now()));
    if (result.kind === 'not-allowed') throw this.notOwn('deleted');
    if (result.kind === 'done') await this.deleted(code, seq);
  }

  /** An operator removes a message (no host check); false when it is not in the recent window. A pin of it goes too. */
  async removeMessage(code: string, seq: number): Promise<boolean> {
    if (!(await this.deps.store.deleteMessage(code, seq))) return false;
    await this.deleted(code, seq);
    return true;
  }

  /** Announces a deletion; a pin of the message goes too. */
  private async deleted(code: string, seq: number): Promise<void> {
    this.deps.notifier.deleted({ code, seq });
    await this.marks.dropPin(code, seq);
  }

  private ownGuard(userId: string, now: number): OwnMessageGuard {
    return { userId, sentSince: now - this.policy.roomEditWindowMs };
  }

  private notOwn(done: 'edited' | 'deleted'): ClientError {
    const minutes = Math.max(1, Math.round(this.policy.roomEditWindowMs / 60_000));
    return new ClientError('NOT_ALLOWED', `Only your own messages can be ${done}, up to ${minutes} min after sending.`);
  }
}
