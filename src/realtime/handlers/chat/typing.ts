/** `typing { isTyping }`: show or clear the typing indicator to the partner (coalesced to one delivery per TYPING_COALESCE_MS). */
import { ClientError } from '../../../errors';
import type { Handler } from '../../dispatch';

export const typing: Handler<'typing'> = async (ctx, { isTyping }) => {
  const chat = await ctx.services.store.chatPeer(ctx.userId);
  if (!chat) throw new ClientError('NOT_IN_CHAT');
  await ctx.typing.set(chat.partnerId, isTyping, chat.partnerSocket);
  return {};
};
