/** `room-backstage { code, invite? }` → `{ backstage: { code } }`: the host opens the room's backstage, or invites a member into it. */
import type { Handler } from '../../dispatch';

export const roomBackstage: Handler<'room-backstage'> = async (ctx, { code, invite }) => ({
  backstage: await ctx.services.rooms.backstage.open(ctx.userId, code, invite),
});
