/**
 * `dm-typing { contactId, isTyping }`: show or clear the typing indicator to
 * the contact (coalesced to one delivery per TYPING_COALESCE_MS; it clears
 * itself after TYPING_TIMEOUT_MS).
 */
import type { Handler } from '../../dispatch';

export const dmTyping: Handler<'dm-typing'> = async (ctx, { contactId, isTyping }) => {
  await ctx.dmTyping.set(contactId, isTyping);
  return {};
};
