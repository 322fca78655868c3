/** `room-create { title, topic?, visibility }`: a new room; its creator joins it as host. */
import type { Handler } from '../../dispatch';
import { requireRules } from '../support';

export const roomCreate: Handler<'room-create'> = async (ctx, payload) => {
  const { rooms, roomChannels } = ctx.services;
  await requireRules(ctx);
  const room = await rooms.create(ctx.userId, ctx.socket.id, payload, (code) => roomChannels.enter(ctx.socket, [code]));
  return { room };
};
