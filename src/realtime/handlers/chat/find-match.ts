/** `find-match { interests?, languages?, anyLanguageAfterMs?, mode? }`: start (or restart) a search. */
import type { Handler } from '../../dispatch';
import { followChatDeliveries } from '../../chat-deliveries';
import { requireRules } from '../support';
import { searchOf, waitingEvent } from './search-payload';

export const findMatch: Handler<'find-match'> = async (ctx, payload) => {
  const { matchmaker } = ctx.services;
  await requireRules(ctx);
  followChatDeliveries(ctx.socket);
  const { interests, languages, mode } = searchOf(payload);
  const state = await matchmaker.find(ctx.userId, interests, languages, mode);
  if (state === 'waiting') ctx.socket.emit('waiting', waitingEvent(payload));
  return { state };
};
