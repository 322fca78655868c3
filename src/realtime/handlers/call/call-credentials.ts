/** `call-credentials {}`: fresh ICE servers (new TURN credentials) for the current video chat. */
import { iceServers } from '../../../call/ice-servers';
import type { Handler } from '../../dispatch';
import { currentCall } from './current-call';

export const callCredentials: Handler<'call-credentials'> = async (ctx) => {
  await currentCall(ctx);
  return { iceServers: iceServers(ctx.services.config, ctx.userId, ctx.services.clock.now()) };
};
