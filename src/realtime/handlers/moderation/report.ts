/**
 * `report { target, reason, note? }`: report a chat partner, a room message
 * or a direct message. The server gathers the evidence; reporting a chat
 * partner also blocks it for the reporter (and ends the chat, like `block`).
 */
import type { Handler } from '../../dispatch';

export const report: Handler<'report'> = async (ctx, payload) => {
  if (payload.target.kind === 'chat') ctx.typing.reset();
  return ctx.services.reports.report({ userId: ctx.userId, ipHash: ctx.socket.data.ipHash }, payload);
};
