/**
 * `room-join { code, name?, sinceSeq? }`: enter a room (or pick up the
 * membership this user already has). The socket subscribes (and the node
 * follows the room) before the messages are read, so every message is in the
 * ack or delivered live (possibly both: clients de-duplicate by seq).
 */
import type { Handler } from '../../dispatch';
import { roomChannel } from '../../rooms';
import { requireRules } from '../require-rules';

export const roomJoin: Handler<'room-join'> = async (ctx, payload) => {
  const { rooms, roomChannels } = ctx.services;
  await requireRules(ctx);
  const channel = roomChannel(payload.code);
  try {
    await roomChannels.enter(ctx.socket, [payload.code]);
    return await rooms.join(ctx.userId, ctx.socket.id, payload);
  } catch (err) {
    if (!(await rooms.isMember(ctx.userId, payload.code).catch(() => false))) await ctx.socket.leave(channel);
    throw err;
  }
};
