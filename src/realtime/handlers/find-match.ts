/** `find-match { interests? }`: start (or restart) a search. */
import type { Handler } from '../dispatch';
import { spend } from './rate-limit';
import { settleIfGone } from './settle-if-gone';

export const findMatch: Handler<'find-match'> = async (ctx, { interests = [] }) => {
  const { matchmaker, limits } = ctx.services;
  await spend(limits.match, ctx.userId);
  const state = await matchmaker.find(ctx.userId, interests);
  await settleIfGone(ctx);
  if (state === 'waiting') ctx.socket.emit('waiting', { interests });
  return { state };
};
