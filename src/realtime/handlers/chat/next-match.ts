/** `next-match { interests? }`: skip the current partner and search again. */
import type { Handler } from '../../dispatch';
import { requireRules } from '../support';

export const nextMatch: Handler<'next-match'> = async (ctx, { interests = [] }) => {
  const { matchmaker } = ctx.services;
  await requireRules(ctx);
  ctx.typing.reset();
  const state = await matchmaker.next(ctx.userId, interests);
  if (state === 'waiting') ctx.socket.emit('waiting', { interests });
  return { state };
};
