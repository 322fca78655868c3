/** `next-match { interests? }`: skip the current partner and search again. */
import type { Handler } from '../dispatch';
import { spend } from './rate-limit';
import { requireRules } from './require-rules';

export const nextMatch: Handler<'next-match'> = async (ctx, { interests = [] }) => {
  const { matchmaker, limits } = ctx.services;
  await requireRules(ctx);
  await spend(limits.match, ctx.userId);
  ctx.typing.reset();
  const state = await matchmaker.next(ctx.userId, interests);
  if (state === 'waiting') ctx.socket.emit('waiting', { interests });
  return { state };
};
