/** `leave-room {}`: end the chat; the partner sees reason `left`. */
import type { Handler } from '../../dispatch';

export const leaveRoom: Handler<'leave-room'> = async (ctx) => {
  ctx.typing.reset();
  await ctx.services.matchmaker.leaveChat(ctx.userId, 'left');
  return {};
};
