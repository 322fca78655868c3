/** The video chat a call event belongs to (the sender's chat, which must be a video chat), and noting what the call did. */
import { ClientError } from '../../../errors';
import type { CallNote, ChatCall } from '../../../store/call-store';
import type { HandlerContext } from '../../context';

/** The sender's chat; NOT_IN_CHAT outside a chat, NOT_ALLOWED in a text chat (or one whose call ended). */
export async function currentCall(ctx: HandlerContext): Promise<ChatCall> {
  const call = await ctx.services.store.chatCall(ctx.userId);
  if (!call) throw new ClientError('NOT_IN_CHAT');
  if (call.mode !== 'video') throw new ClientError('NOT_ALLOWED', 'This is a text chat: there is no call in it.');
  return call;
}

/**
 * Notes call metadata for reports. The event itself has happened by then (it
 * was relayed): a note the store could not take is logged, not answered as an
 * error the user could do nothing about.
 */
export async function noteCall(ctx: HandlerContext, roomId: string, notes: readonly CallNote[]): Promise<void> {
  try {
    for (const note of notes) await ctx.services.store.noteCall(roomId, note);
  } catch (err) {
    ctx.services.logger.warn({ err, userId: ctx.userId }, 'a call note was not kept');
  }
}
