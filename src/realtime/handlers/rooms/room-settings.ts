/**
 * `room-settings { code, slowModeS?, description?, rules? }`: the host changes
 * the room's settings; the description and rules go through
 * ROOM_CONTENT_FILTER first (masked, or refused with CONTENT_BLOCKED).
 */
import { filterText } from '../../../moderation/content-filter';
import type { RoomSettings } from '../../../protocol';
import type { Handler } from '../../dispatch';

export const roomSettings: Handler<'room-settings'> = async (ctx, { code, slowModeS, description, rules }) => {
  const policy = ctx.services.config.roomContentFilter;
  const patch: Partial<RoomSettings> = {};
  if (slowModeS !== undefined) patch.slowModeS = slowModeS;
  if (description !== undefined) patch.description = description ? filterText(description, policy) : null;
  if (rules !== undefined) patch.rules = rules ? filterText(rules, policy) : null;
  return { room: await ctx.services.rooms.moderators.updateSettings(ctx.userId, code, patch) };
};
