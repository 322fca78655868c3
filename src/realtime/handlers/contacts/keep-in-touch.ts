/** `keep-in-touch {}`: ask to stay in touch with the partner of the current or just-ended chat. */
import type { Handler } from '../../dispatch';

export const keepInTouch: Handler<'keep-in-touch'> = async (ctx) => ({ state: await ctx.services.contacts.keepInTouch(ctx.userId) });
