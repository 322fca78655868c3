/** `find-match { interests? }`: start (or restart) a search. */
import type { Handler } from '../dispatch';
import { spend } from './rate-limit';
import { requireRules } from './require-rules';

export const findMatch: Handler<'find-match'> = async (ctx, { interests = [] }) => {
  const { matchmaker, limits } = ctx.services;
  await requireRules(ctx);
  await spend(limits.match, ctx.userId);
  const state = await matchmaker.find(ctx.userId, interests);
  if (state === 'waiting') ctx.socket.emit('waiting', { interests });
  return { state };
};
