/**
 * `room-edit { code, seq, text }`: the sender replaces the text of its own
 * message within ROOM_EDIT_WINDOW_MS (NOT_ALLOWED otherwise); the message
 * keeps its seq and every member gets `room-message-edited`.
 * ROOM_CONTENT_FILTER applies as to a new message.
 */
import { filterText } from '../../../moderation/content-filter';
import type { Handler } from '../../dispatch';

export const roomEdit: Handler<'room-edit'> = async (ctx, { code, seq, text }) => {
  const { rooms, config } = ctx.services;
  const message = await rooms.edits.edit(ctx.userId, code, seq, filterText(text, config.roomContentFilter));
  return { message };
};
