/** The video chat a call event belongs to: the sender's chat, which must be a video chat. */
import { ClientError } from '../../../errors';
import type { ChatCall } from '../../../store/call-store';
import type { HandlerContext } from '../../context';

/** The sender's chat; NOT_IN_CHAT outside a chat, NOT_ALLOWED in a text chat (or one whose call ended). */
export async function currentCall(ctx: HandlerContext): Promise<ChatCall> {
  const call = await ctx.services.store.chatCall(ctx.userId);
  if (!call) throw new ClientError('NOT_IN_CHAT');
  if (call.mode !== 'video') throw new ClientError('NOT_ALLOWED', 'This is a text chat: there is no call in it.');
  return call;
}
