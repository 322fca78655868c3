/** `block {}`: never meet the current (or last) partner again; ends the chat. */
import type { Handler } from '../../dispatch';

export const block: Handler<'block'> = async (ctx) => {
  ctx.typing.reset();
  await ctx.services.matchmaker.block(ctx.userId);
  return {};
};
