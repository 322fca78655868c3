/**
 * `accept-rules { version, ageConfirmed: true }`: the identity accepts the
 * current rules and confirms MIN_AGE. A malformed payload (or `ageConfirmed`
 * other than `true`) is INVALID_PAYLOAD; a well-formed but outdated version
 * is RULES_NOT_ACCEPTED, so the client reloads the rules and asks again.
 */
import type { Handler } from '../../dispatch';

export const acceptRules: Handler<'accept-rules'> = async (ctx, { version }) => {
  const { rulesGate, clock } = ctx.services;
  await rulesGate.accept(ctx.userId, version, clock.now());
  ctx.socket.data.rulesAccepted = true;
  return {};
};
