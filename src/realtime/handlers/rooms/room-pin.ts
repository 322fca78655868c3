/** `room-pin { code, seq, durationMs? }`: host (co-hosts join); members see `room-pins`. */
import type { Handler } from '../../dispatch';

export const roomPin: Handler<'room-pin'> = async (ctx, { code, seq, durationMs }) => {
  await ctx.services.rooms.pin(ctx.userId, code, seq, durationMs);
  return {};
};
