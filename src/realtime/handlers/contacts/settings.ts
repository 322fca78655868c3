/** `settings { appearOffline }`: hide (or show again) this identity's presence from its contacts. */
import type { Handler } from '../../dispatch';

export const settings: Handler<'settings'> = async (ctx, { appearOffline }) => {
  await ctx.services.contacts.setAppearOffline(ctx.userId, appearOffline);
  return {};
};
