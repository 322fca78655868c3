/** `room-delete-message { code, seq }`: host and co-hosts; members see `room-message-deleted`. */
import type { Handler } from '../../dispatch';

export const roomDeleteMessage: Handler<'room-delete-message'> = async (ctx, { code, seq }) => {
  await ctx.services.rooms.deleteMessage(ctx.userId, code, seq);
  return {};
};
