/**
 * `room-message { code, text, replyTo?, clientId? }`: store the message
 * (assigning its seq) and deliver it to the other members. ROOM_CONTENT_FILTER
 * masks or refuses listed words before anything is stored. A `clientId` the
 * member used in this room already is answered with that message's ack.
 */
import { filterText } from '../../../moderation/content-filter';
import type { Handler } from '../../dispatch';

export const roomMessage: Handler<'room-message'> = async (ctx, { code, text, replyTo, clientId }) => {
  const { rooms, config } = ctx.services;
  const filtered = filterText(text, config.roomContentFilter);
  const { text: stored, ...message } = await rooms.message(ctx.userId, code, filtered, replyTo, clientId);
  ctx.roomTyping.stop(code);
  ctx.services.metrics.messageRelayed('room');
  void ctx.services.reports.sent(ctx.userId);
  // The sender learns the masked text, to show what the room saw.
  return { message: stored === text ? message : { ...message, text: stored } };
};
