/** `dm-history { contactId, before?, limit? }`: a page of the conversation, oldest first. */
import type { Handler } from '../../dispatch';

/** Messages a page holds when the client does not say. */
export const DM_PAGE = 50;

export const dmHistory: Handler<'dm-history'> = async (ctx, { contactId, before, limit }) =>
  ctx.services.dms.history(ctx.userId, contactId, before, limit ?? DM_PAGE);
