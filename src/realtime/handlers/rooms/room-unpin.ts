/** `room-unpin { code, seq }`: host and co-hosts; members see `room-pins`. */
import type { Handler } from '../../dispatch';

export const roomUnpin: Handler<'room-unpin'> = async (ctx, { code, seq }) => {
  await ctx.services.rooms.marks.unpin(ctx.userId, code, seq);
  return {};
};
