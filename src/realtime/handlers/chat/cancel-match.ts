/** `cancel-match {}`: stop searching. Idempotent. */
import type { Handler } from '../../dispatch';

export const cancelMatch: Handler<'cancel-match'> = async (ctx) => {
  await ctx.services.matchmaker.cancel(ctx.userId);
  ctx.socket.emit('match-cancelled', {});
  return {};
};
