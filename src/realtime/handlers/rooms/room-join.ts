/**
 * `room-join { code, name?, sinceSeq? }`: enter a room (or pick up the
 * membership this user already has). The membership is checked and stored
 * first; only then does the socket subscribe (and the node follow the room),
 * before the messages are read: a refused join (kicked, full, unknown) never
 * receives a message, and every message of an accepted one is in the ack or
 * delivered live (possibly both: clients de-duplicate by seq). A chosen name with a listed word is
 * refused (CONTENT_BLOCKED, under ROOM_CONTENT_FILTER unless `off`), never masked.
 */
import { refuseFiltered } from '../../../moderation/content-filter';
import type { Handler } from '../../dispatch';
import { roomChannel } from '../../channels';
import { requireRules } from '../support';

export const roomJoin: Handler<'room-join'> = async (ctx, payload) => {
  const { rooms, roomChannels, config } = ctx.services;
  await requireRules(ctx);
  if (payload.name !== undefined) refuseFiltered(payload.name, config.roomContentFilter);
  try {
    return await rooms.join(ctx.userId, ctx.socket.id, payload, () => roomChannels.enter(ctx.socket, [payload.code]));
  } catch (err) {
    // Subscribed but the read failed, or kicked meanwhile: no channel without a membership.
    if (!(await rooms.isMember(ctx.userId, payload.code).catch(() => false))) await ctx.socket.leave(roomChannel(payload.code));
    throw err;
  }
};
