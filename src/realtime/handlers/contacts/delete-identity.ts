/**
 * `delete-identity {}`: end the chat, search and rooms as a leave would,
 * delete every contact, message and setting of the identity, then close its
 * connections. Its token is refused from then on (a fresh identity is issued).
 * A restore re-applies the PostgreSQL part of this with
 * src/store/postgres/identity-deletion.ts: keep the two alike.
 */
import type { Handler } from '../../dispatch';
import { userChannel } from '../../channels';

/** The ack goes out before the connection closes. */
const CLOSE_DELAY_MS = 200;

export const deleteIdentity: Handler<'delete-identity'> = async (ctx) => {
  const { matchmaker, rooms, contacts, io } = ctx.services;
  ctx.typing.reset();
  await matchmaker.leaveChat(ctx.userId, 'left').catch(() => undefined);
  await matchmaker.cancel(ctx.userId).catch(() => undefined);
  await rooms.deleteIdentity(ctx.userId);
  await contacts.deleteIdentity(ctx.userId);
  await ctx.services.reports.forgetReporter(ctx.userId);
  setTimeout(() => io.in(userChannel(ctx.userId)).disconnectSockets(true), CLOSE_DELAY_MS).unref();
  return {};
};
