/** `room-react { code, seq, emoji, on }`: any member; members see `room-reactions`. */
import type { Handler } from '../../dispatch';

export const roomReact: Handler<'room-react'> = async (ctx, { code, seq, emoji, on }) => {
  await ctx.services.rooms.marks.react(ctx.userId, code, seq, emoji, on);
  return {};
};
