/** `send-message { text, replyTo? }`: relay a message to the partner. */
import { ClientError } from '../../errors';
import type { Handler } from '../register';
import { userRoom } from '../rooms';
import { spend } from './rate-limit';

export const sendMessage: Handler<'send-message'> = async (ctx, { text, replyTo }) => {
  const { config, store, limits, io, clock, newMessageId } = ctx.services;
  if (text.trim().length === 0) throw new ClientError('EMPTY_MESSAGE');
  // Characters, not UTF-16 units: an emoji counts once.
  const length = text.length <= config.maxMessageLength ? text.length : [...text].length;
  if (length > config.maxMessageLength) {
    throw new ClientError('MESSAGE_TOO_LONG', `A message can be at most ${config.maxMessageLength} characters.`);
  }
  // The chat comes from the user's state in the store, never from the client.
  const user = await store.getUser(ctx.userId);
  if (user.state !== 'chatting' || !user.partnerId || !user.roomId) throw new ClientError('NOT_IN_CHAT');
  await spend(limits.message, ctx.userId);

  const message = { id: newMessageId(), sentAt: clock.now() };
  ctx.typing.stop();
  io.to(userRoom(user.partnerId)).emit('message', {
    ...message,
    roomId: user.roomId,
    text,
    ...(replyTo ? { replyTo } : {}),
  });
  return { message };
};
