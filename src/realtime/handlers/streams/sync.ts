/**
 * `sync { stream, afterSeq, epoch?, limit? }`: what a stream holds after the
 * client's last seq — the current one-to-one chat (or, once it ended, the
 * last one while its log is kept), a topic room the user is a member of, or
 * the conversation with a contact. With another epoch than the stream's, the
 * answer starts at the oldest message kept.
 */
import { ClientError } from '../../../errors';
import { missedSince } from '../../../chat/resume';
import type { MissedMessage, SyncResult } from '../../../protocol';
import type { HandlerContext } from '../../context';
import type { Handler } from '../../dispatch';

/** Messages a `sync` answers with when it names no limit. */
export const SYNC_DEFAULT_LIMIT = 100;

async function syncChat(ctx: HandlerContext, afterSeq: number, epoch: string | undefined, limit: number): Promise<SyncResult<MissedMessage>> {
  const { store } = ctx.services;
  const user = await store.getUser(ctx.userId);
  const chatId = user.state === 'chatting' ? user.roomId : user.lastRoomId;
  if (!chatId) throw new ClientError('NOT_IN_CHAT');
  const log = await store.chatLog(chatId);
  if (!log.epoch && log.messages.length === 0) throw new ClientError('NOT_IN_CHAT');
  const missed = missedSince(log, { lastSeq: afterSeq, ...(epoch !== undefined ? { epoch } : {}) }, chatId, ctx.userId);
  return { epoch: log.epoch, lastSeq: log.messages.at(-1)?.seq ?? 0, messages: missed.slice(0, limit), hasMore: missed.length > limit };
}

export const sync: Handler<'sync'> = async (ctx, { stream, afterSeq, epoch, limit = SYNC_DEFAULT_LIMIT }) => {
  switch (stream.kind) {
    case 'chat':
      return syncChat(ctx, afterSeq, epoch, limit);
    case 'room':
      return ctx.services.rooms.sync(ctx.userId, stream.code, afterSeq, epoch, limit);
    case 'dm':
      return ctx.services.dms.sync(ctx.userId, stream.contactId, afterSeq, epoch, limit);
  }
};
