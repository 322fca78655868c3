/**
 * `contact-rename { contactId, nickname }`: the nickname only its owner sees. One with a listed word is
 * refused (CONTENT_BLOCKED, under CHAT_CONTENT_FILTER, the policy of direct messages, unless `off`),
 * never masked.
 */
import { refuseFiltered } from '../../../moderation/content-filter';
import type { Handler } from '../../dispatch';

export const contactRename: Handler<'contact-rename'> = async (ctx, { contactId, nickname }) => {
  refuseFiltered(nickname, ctx.services.config.chatContentFilter);
  await ctx.services.contacts.rename(ctx.userId, contactId, nickname);
  return {};
};
