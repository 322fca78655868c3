/** `dm-send { contactId, text, replyTo? }`: store the message, then deliver it; acked once stored. */
import type { Handler } from '../../dispatch';
import { spend } from '../rate-limit';

export const dmSend: Handler<'dm-send'> = async (ctx, { contactId, text, replyTo }) => {
  const { dms, limits } = ctx.services;
  await spend(limits.dm, ctx.userId);
  const message = await dms.send(ctx.userId, contactId, text, replyTo);
  ctx.dmTyping.stop(contactId);
  return { message };
};
