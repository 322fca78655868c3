/**
 * `send-message { text, replyTo?, clientId?, roomId? }`: log the message in
 * the chat (with the chat's next seq) and relay it to the partner. A
 * `clientId` the sender used in this chat already is answered with that
 * message's ack and relays nothing. With `roomId`, a sender now in another
 * chat stores nothing (NOT_IN_CHAT): a message meant for one stranger never
 * reaches the next. CHAT_CONTENT_FILTER masks or refuses listed words; a link in
 * the chat's first LINK_DELAY_MS is refused (the store checks the chat's age
 * in the same step that logs the message).
 */
import { ClientError, rateLimited } from '../../../errors';
import { filterText } from '../../../moderation/content-filter';
import { containsLink } from '../../../moderation/links';
import type { Handler } from '../../dispatch';
import { toUser } from '../../socket-here';
import { messageEvent } from '../../../chat/resume';

/** Only what String.prototype.trim removes (\s is the same set), without copying the text. */
const BLANK = /^\s*$/;

/** Messages a chat keeps for resuming users. */
export const CHAT_LOG_CAP = 200;

export const sendMessage: Handler<'send-message'> = async (ctx, { text, replyTo, clientId, roomId }) => {
  const { config, store, io, clock, newMessageId, metrics } = ctx.services;
  if (BLANK.test(text)) throw new ClientError('EMPTY_MESSAGE');
  // Characters, not UTF-16 units: an emoji counts once.
  const length = text.length <= config.maxMessageLength ? text.length : [...text].length;
  if (length > config.maxMessageLength) {
    throw new ClientError('MESSAGE_TOO_LONG', `A message can be at most ${config.maxMessageLength} characters.`);
  }

  const filtered = filterText(text, config.chatContentFilter);
  const minChatAgeMs = config.linkDelayMs > 0 && containsLink(text) ? config.linkDelayMs : 0;

  const id = newMessageId();
  const sentAt = clock.now();
  // One store step spends a point of the budget (even when not in a chat)
  // and logs the message. The chat comes from the user's state in the
  // store, never from the client.
  const logged = replyTo
    ? { id, from: ctx.userId, text: filtered, sentAt, replyTo }
    : { id, from: ctx.userId, text: filtered, sentAt };
  const budget = { points: config.messageRateLimit, windowMs: config.messageRateWindowMs };
  const chat = await store.relay(ctx.userId, logged, CHAT_LOG_CAP, budget, sentAt, minChatAgeMs, clientId, roomId);
  if (chat.kind === 'duplicate') return sendAck(chat.message.id, chat.message.seq, chat.message.sentAt, chat.message.text, text);
  if (chat.kind === 'rate-limited') throw rateLimited(chat.retryAfterMs);
  if (chat.kind === 'not-in-chat') throw new ClientError('NOT_IN_CHAT');
  if (chat.kind === 'too-early') {
    const seconds = Math.max(1, Math.ceil(chat.retryAfterMs / 1000));
    throw new ClientError('LINK_NOT_ALLOWED', `Links are not allowed this early in a chat; try again in ${seconds} s.`);
  }
  ctx.typing.stop(chat);
  const event = messageEvent({ id, seq: chat.seq, from: ctx.userId, text: filtered, sentAt, replyTo }, chat.roomId, chat.epoch);
  // A partner connected to this node gets it directly, without a publish
  // through the adapter; anywhere else, through the partner's user channel.
  toUser(io, config.nodeId, chat.partnerId, chat.partnerSocket).emit('message', event);
  metrics.messageRelayed('chat');
  void ctx.services.reports.sent(ctx.userId);
  return sendAck(id, chat.seq, sentAt, filtered, text);
};

/** The sender learns the masked text, to show what its partner saw. */
function sendAck(id: string, seq: number, sentAt: number, stored: string, text: string) {
  return { message: stored === text ? { id, seq, sentAt } : { id, seq, sentAt, text: stored } };
}
