/**
 * `room-message { code, text, replyTo? }`: store the message (assigning its
 * seq) and deliver it to the other members. ROOM_CONTENT_FILTER masks or
 * refuses listed words before anything is stored.
 */
import { filterText } from '../../../moderation/content-filter';
import type { Handler } from '../../dispatch';

export const roomMessage: Handler<'room-message'> = async (ctx, { code, text, replyTo }) => {
  const { rooms, config } = ctx.services;
  const filtered = filterText(text, config.roomContentFilter);
  const message = await rooms.message(ctx.userId, code, filtered, replyTo);
  ctx.roomTyping.stop(code);
  void ctx.services.reports.sent(ctx.userId);
  // The sender learns the masked text, to show what the room saw.
  return { message: filtered === text ? message : { ...message, text: filtered } };
};
