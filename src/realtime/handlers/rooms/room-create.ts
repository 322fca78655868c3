/** `room-create { title, topic?, visibility }`: a new room; its creator joins it as host. */
import type { Handler } from '../../dispatch';
import { roomChannel } from '../../rooms';
import { spend } from '../rate-limit';

export const roomCreate: Handler<'room-create'> = async (ctx, payload) => {
  const { rooms, limits } = ctx.services;
  await spend(limits.roomCreate, ctx.userId);
  const room = await rooms.create(ctx.userId, ctx.socket.id, payload);
  await ctx.socket.join(roomChannel(room.code));
  return { room };
};
