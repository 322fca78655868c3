/** `room-role { code, name, role }`: the host names a co-host (or takes the role back); the room sees `room-presence` with `changed`. */
import type { Handler } from '../../dispatch';

export const roomRole: Handler<'room-role'> = async (ctx, { code, name, role }) => {
  await ctx.services.rooms.moderators.setRole(ctx.userId, code, name, role);
  return {};
};
