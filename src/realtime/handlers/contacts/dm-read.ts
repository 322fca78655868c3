/** `dm-read { contactId, upTo }`: mark the contact's messages read; the contact gets a receipt. */
import type { Handler } from '../../dispatch';

export const dmRead: Handler<'dm-read'> = async (ctx, { contactId, upTo }) => {
  await ctx.services.dms.read(ctx.userId, contactId, upTo);
  return {};
};
