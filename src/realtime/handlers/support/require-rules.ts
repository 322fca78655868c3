/** The rules gate as handlers use it: checked in the store once per connection, then remembered on the socket. */
import type { HandlerContext } from '../../context';

/** Throws RULES_NOT_ACCEPTED unless the identity accepted the current rules (or RULES_GATE is off). */
export async function requireRules(ctx: HandlerContext): Promise<void> {
  if (ctx.socket.data.rulesAccepted) return;
  await ctx.services.rulesGate.require(ctx.userId);
  ctx.socket.data.rulesAccepted = true;
}
