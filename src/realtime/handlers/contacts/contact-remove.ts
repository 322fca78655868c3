/** `contact-remove { contactId }`: delete the contact (and the conversation) on both sides. */
import type { Handler } from '../../dispatch';

export const contactRemove: Handler<'contact-remove'> = async (ctx, { contactId }) => {
  await ctx.services.contacts.remove(ctx.userId, contactId);
  return {};
};
