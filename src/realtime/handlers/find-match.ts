/** `find-match { interests? }`: start (or restart) a search. */
import type { Handler } from '../dispatch';
import { spend } from './rate-limit';

export const findMatch: Handler<'find-match'> = async (ctx, { interests = [] }) => {
  const { matchmaker, limits } = ctx.services;
  await spend(limits.match, ctx.userId);
  const state = await matchmaker.find(ctx.userId, interests);
  if (state === 'waiting') ctx.socket.emit('waiting', { interests });
  return { state };
};
