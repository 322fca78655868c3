/** `send-message { text, replyTo? }`: log the message in the chat and relay it to the partner. */
import { ClientError } from '../../errors';
import type { Handler } from '../register';
import { userRoom } from '../rooms';
import { spend } from './rate-limit';

/** Messages a chat keeps for resuming users. */
export const CHAT_LOG_CAP = 200;

export const sendMessage: Handler<'send-message'> = async (ctx, { text, replyTo }) => {
  const { config, store, limits, io, clock, newMessageId, metrics } = ctx.services;
  if (text.trim().length === 0) throw new ClientError('EMPTY_MESSAGE');
  // Characters, not UTF-16 units: an emoji counts once.
  const length = text.length <= config.maxMessageLength ? text.length : [...text].length;
  if (length > config.maxMessageLength) {
    throw new ClientError('MESSAGE_TOO_LONG', `A message can be at most ${config.maxMessageLength} characters.`);
  }
  await spend(limits.message, ctx.userId);

  const message = { id: newMessageId(), sentAt: clock.now() };
  const extra = replyTo ? { replyTo } : {};
  // The chat comes from the user's state in the store, never from the client.
  const chat = await store.relay(ctx.userId, { ...message, from: ctx.userId, text, ...extra }, CHAT_LOG_CAP);
  if (!chat) throw new ClientError('NOT_IN_CHAT');
  ctx.typing.stop();
  io.to(userRoom(chat.partnerId)).emit('message', { ...message, roomId: chat.roomId, text, ...extra });
  metrics.messageRelayed();
  return { message };
};
