/**
 * `room-delete-message { code, seq }`: the host and co-hosts delete any
 * message, a member its own within ROOM_EDIT_WINDOW_MS; members see
 * `room-message-deleted`.
 */
import type { Handler } from '../../dispatch';

export const roomDeleteMessage: Handler<'room-delete-message'> = async (ctx, { code, seq }) => {
  await ctx.services.rooms.edits.deleteMessage(ctx.userId, code, seq);
  return {};
};
