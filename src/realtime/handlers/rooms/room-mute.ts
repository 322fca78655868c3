/** `room-mute { code, name, durationMs }`: the host or a co-host mutes a member (0 lifts it); its sends get MUTED with `until`. */
import type { Handler } from '../../dispatch';

export const roomMute: Handler<'room-mute'> = async (ctx, { code, name, durationMs }) => {
  await ctx.services.rooms.moderators.mute(ctx.userId, code, name, durationMs);
  return {};
};
