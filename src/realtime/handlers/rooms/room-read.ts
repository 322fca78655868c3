/**
 * `room-read { code, seq }`: the member read the room up to `seq`. The
 * position is the identity's, kept server-side; every connection of the
 * identity gets `room-unread` when it moved.
 */
import type { Handler } from '../../dispatch';

export const roomRead: Handler<'room-read'> = async (ctx, { code, seq }) => {
  await ctx.services.rooms.unread.read(ctx.userId, code, seq);
  return {};
};
