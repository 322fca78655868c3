/** `room-kick { code, name }`: the host or a co-host (a co-host kicks plain members only); the member gets `room-kicked` and may not rejoin for ROOM_KICK_MS. */
import type { Handler } from '../../dispatch';

export const roomKick: Handler<'room-kick'> = async (ctx, { code, name }) => {
  await ctx.services.rooms.kick(ctx.userId, code, name);
  return {};
};
