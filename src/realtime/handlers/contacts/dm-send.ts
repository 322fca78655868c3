/**
 * `dm-send { contactId, text, replyTo?, clientId? }`: store the message, then
 * deliver it; acked once stored (a `clientId` already stored in the
 * conversation is answered with that message's ack, and nothing is stored). Direct messages follow the one-to-one chat's content
 * filter (CHAT_CONTENT_FILTER): masked or refused before anything is stored.
 */
import { filterText } from '../../../moderation/content-filter';
import type { Handler } from '../../dispatch';

export const dmSend: Handler<'dm-send'> = async (ctx, { contactId, text, replyTo, clientId }) => {
  const { dms, config } = ctx.services;
  const filtered = filterText(text, config.chatContentFilter);
  const message = await dms.send(ctx.userId, contactId, filtered, replyTo, clientId);
  ctx.dmTyping.stop(contactId);
  ctx.services.metrics.messageRelayed('dm');
  void ctx.services.reports.sent(ctx.userId);
  // The sender learns the masked text, to show what the contact saw.
  return { message: filtered === text ? message : { ...message, text: filtered } };
};
