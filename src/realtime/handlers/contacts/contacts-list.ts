/** `contacts-list {}`: every saved contact with presence, unread count and last message. */
import type { Handler } from '../../dispatch';

export const contactsList: Handler<'contacts-list'> = async (ctx) => ({ contacts: await ctx.services.contacts.list(ctx.userId) });
