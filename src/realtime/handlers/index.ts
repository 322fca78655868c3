/** Every client event and its handler. */
import type { HandlerContext } from '../context';
import { register, type InvalidEventCounter } from '../register';
import { block } from './block';
import { cancelMatch } from './cancel-match';
import { findMatch } from './find-match';
import { leaveRoom } from './leave-room';
import { nextMatch } from './next-match';
import { sendMessage } from './send-message';
import { typing } from './typing';

/** Registers every handler; synchronous, so no early event is lost. */
export function registerHandlers(ctx: HandlerContext, invalid: InvalidEventCounter): void {
  register(ctx, invalid, 'find-match', findMatch);
  register(ctx, invalid, 'cancel-match', cancelMatch);
  register(ctx, invalid, 'next-match', nextMatch);
  register(ctx, invalid, 'send-message', sendMessage);
  register(ctx, invalid, 'typing', typing);
  register(ctx, invalid, 'leave-room', leaveRoom);
  register(ctx, invalid, 'block', block);
}
