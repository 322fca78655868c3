/**
 * `room-create { title, topic?, visibility }`: a new room; its creator joins it as host.
 * Two budgets, both cluster-wide: per identity (ROOM_CREATE_RATE_LIMIT, spent by
 * the dispatcher) and per address (ROOM_CREATE_PER_IP_LIMIT, keyed by the address's keyed hash), since
 * new identities cost little. A title or topic with a listed word is refused (CONTENT_BLOCKED, under
 * ROOM_CONTENT_FILTER unless `off`), never masked, before the address's budget is spent.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ClientError } from '../../../errors';
import { refuseFiltered } from '../../../moderation/content-filter';
import type { Handler } from '../../dispatch';
import { requireRules, spend } from '../support';

export const roomCreate: Handler<'room-create'> = async (ctx, payload) => {
  const { rooms, limits, roomChannels, config } = ctx.services;
  await requireRules(ctx);
  refuseFiltered(payload.title, config.roomContentFilter);
  if (payload.topic !== undefined) refuseFiltered(payload.topic, config.roomContentFilter);
  try {
    // The address the connection was admitted from, as its keyed hash (the per-address caps' and bans' address).
    await spend(limits.roomCreatePerIp, ctx.socket.data.ipHash);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const minutes = Math.max(1, Math.ceil(err.msBeforeNext / 60_000));
    throw new ClientError('RATE_LIMITED', `Too many rooms were started from your network. Try again in ${minutes} min, or join one of the rooms listed.`);
  }
  const room = await rooms.create(ctx.userId, ctx.socket.id, payload, (code) => roomChannels.enter(ctx.socket, [code]));
  return { room };
};
