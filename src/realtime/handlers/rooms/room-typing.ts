/**
 * `room-typing { code, isTyping }`: show or clear the typing indicator to the
 * other members (coalesced to one delivery per TYPING_COALESCE_MS; it clears
 * itself after TYPING_TIMEOUT_MS).
 */
import type { Handler } from '../../dispatch';

export const roomTyping: Handler<'room-typing'> = async (ctx, { code, isTyping }) => {
  await ctx.roomTyping.set(code, isTyping);
  return {};
};
