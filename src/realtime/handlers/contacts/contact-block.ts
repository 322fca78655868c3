/** `contact-block { contactId }`: remove the contact and never be matched with it again. */
import type { Handler } from '../../dispatch';

export const contactBlock: Handler<'contact-block'> = async (ctx, { contactId }) => {
  await ctx.services.contacts.block(ctx.userId, contactId);
  return {};
};
