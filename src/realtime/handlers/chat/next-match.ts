/** `next-match { interests?, languages?, anyLanguageAfterMs?, mode? }`: skip the current partner and search again. */
import type { Handler } from '../../dispatch';
import { followChatDeliveries } from '../../chat-deliveries';
import { requireRules } from '../support';
import { searchOf, waitingEvent } from './search-payload';

export const nextMatch: Handler<'next-match'> = async (ctx, payload) => {
  const { matchmaker } = ctx.services;
  await requireRules(ctx);
  followChatDeliveries(ctx.socket);
  ctx.typing.reset();
  const { interests, languages, mode } = searchOf(payload);
  const state = await matchmaker.next(ctx.userId, interests, languages, mode);
  if (state === 'waiting') ctx.socket.emit('waiting', waitingEvent(payload));
  return { state };
};
