/** `room-typing { code, isTyping }`: show or clear the typing indicator to the other members. */
import type { Handler } from '../../dispatch';

export const roomTyping: Handler<'room-typing'> = async (ctx, { code, isTyping }) => {
  await ctx.services.rooms.typing(ctx.userId, code, isTyping);
  return {};
};
