/**
 * A request can outlive its connection: when the connection closes while the
 * request waits (on the rate limiter, say), what the request writes — a
 * search, a room membership — lands after the connection's cleanup ran, and
 * its user would wait, be paired or stay listed in a room with no connection
 * at all. Running that cleanup again once the request is done settles it; it
 * changes nothing when a newer connection took over.
 */
import type { HandlerContext } from '../../context';

export async function settleIfGone(ctx: HandlerContext): Promise<void> {
  if (ctx.socket.connected) return;
  const { matchmaker, rooms } = ctx.services;
  await Promise.all([matchmaker.disconnect(ctx.userId, ctx.socket.id), rooms.presence.disconnected(ctx.userId, ctx.socket.id)]);
}
