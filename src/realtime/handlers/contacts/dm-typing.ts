/** `dm-typing { contactId, isTyping }`: show or clear the typing indicator to the contact (it clears itself after TYPING_TIMEOUT_MS). */
import type { Handler } from '../../dispatch';

export const dmTyping: Handler<'dm-typing'> = async (ctx, { contactId, isTyping }) => {
  await ctx.services.dms.typing(ctx.userId, contactId, isTyping);
  ctx.dmTyping.set(contactId, isTyping);
  return {};
};
