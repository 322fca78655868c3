/** `room-leave { code }`: leave a room; the others see `room-presence` with `left`. */
import type { Handler } from '../../dispatch';
import { roomChannel } from '../../channels';

export const roomLeave: Handler<'room-leave'> = async (ctx, { code }) => {
  ctx.roomTyping.stop(code);
  await ctx.services.rooms.leave(ctx.userId, code);
  await ctx.socket.leave(roomChannel(code));
  return {};
};
