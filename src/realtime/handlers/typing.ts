/** `typing { isTyping }`: show or clear the typing indicator to the partner. */
import { ClientError } from '../../errors';
import type { Handler } from '../dispatch';

export const typing: Handler<'typing'> = async (ctx, { isTyping }) => {
  const user = await ctx.services.store.getUser(ctx.userId);
  if (user.state !== 'chatting' || !user.partnerId) throw new ClientError('NOT_IN_CHAT');
  ctx.typing.set(user.partnerId, isTyping);
  return {};
};
