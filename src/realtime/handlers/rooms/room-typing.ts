/** `room-typing { code, isTyping }`: show or clear the typing indicator to the other members (it clears itself after TYPING_TIMEOUT_MS). */
import type { Handler } from '../../dispatch';

export const roomTyping: Handler<'room-typing'> = async (ctx, { code, isTyping }) => {
  await ctx.services.rooms.typing(ctx.userId, code, isTyping);
  ctx.roomTyping.set(code, isTyping);
  return {};
};
