/** `room-pin { code, seq, durationMs? }`: host and co-hosts; members see `room-pins`. */
import type { Handler } from '../../dispatch';

export const roomPin: Handler<'room-pin'> = async (ctx, { code, seq, durationMs }) => {
  await ctx.services.rooms.marks.pin(ctx.userId, code, seq, durationMs);
  return {};
};
