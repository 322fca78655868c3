/**
 * `room-join { code, name?, sinceSeq? }`: enter a room (or pick up the
 * membership this user already has). The socket subscribes (and the node
 * follows the room) before the messages are read, so every message is in the
 * ack or delivered live (possibly both: clients de-duplicate by seq).
 */
import { ClientError } from '../../../errors';
import type { Handler } from '../../dispatch';
import { roomChannel } from '../../rooms';
import { requireRules } from '../require-rules';

export const roomJoin: Handler<'room-join'> = async (ctx, payload) => {
  const { rooms, roomChannels } = ctx.services;
  await requireRules(ctx);
  // A code that names no room subscribes to nothing.
  if (!(await rooms.info(payload.code))) throw new ClientError('ROOM_NOT_FOUND');
  const channel = roomChannel(payload.code);
  try {
    await roomChannels.enter(ctx.socket, [payload.code]);
    return await rooms.join(ctx.userId, ctx.socket.id, payload);
  } catch (err) {
    if (!(await rooms.isMember(ctx.userId, payload.code).catch(() => false))) await ctx.socket.leave(channel);
    throw err;
  }
};
