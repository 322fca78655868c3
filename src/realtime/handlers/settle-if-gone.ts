/**
 * A search request can outlive its connection: when the connection closes
 * while the request waits (on the rate limiter, say), the search is written
 * after the connection's cleanup ran, and its user would wait — or be paired
 * — with no connection at all. Running the cleanup again once the request is
 * done settles that; it changes nothing when a newer connection took over.
 */
import type { HandlerContext } from '../context';

export async function settleIfGone(ctx: HandlerContext): Promise<void> {
  if (ctx.socket.connected) return;
  await ctx.services.matchmaker.disconnect(ctx.userId, ctx.socket.id);
}
