/** `contact-rename { contactId, nickname }`: the nickname only its owner sees. */
import type { Handler } from '../../dispatch';

export const contactRename: Handler<'contact-rename'> = async (ctx, { contactId, nickname }) => {
  await ctx.services.contacts.rename(ctx.userId, contactId, nickname);
  return {};
};
