/** `room-message { code, text, replyTo? }`: store the message (assigning its seq) and deliver it to the other members. */
import type { Handler } from '../../dispatch';
import { spend } from '../rate-limit';

export const roomMessage: Handler<'room-message'> = async (ctx, { code, text, replyTo }) => {
  const { rooms, limits } = ctx.services;
  await spend(limits.roomMessage, ctx.userId);
  const message = await rooms.message(ctx.userId, code, text, replyTo);
  ctx.roomTyping.stop(code);
  return { message };
};
