/** `find-match { interests? }`: start (or restart) a search. */
import type { Handler } from '../../dispatch';
import { requireRules } from '../support';

export const findMatch: Handler<'find-match'> = async (ctx, { interests = [] }) => {
  const { matchmaker } = ctx.services;
  await requireRules(ctx);
  const state = await matchmaker.find(ctx.userId, interests);
  if (state === 'waiting') ctx.socket.emit('waiting', { interests });
  return { state };
};
