/**
 * The events a suspended identity may not use: matching, rooms and direct
 * messages answer SUSPENDED until an operator reviews the reports. Leaving,
 * reading and reporting stay open.
 */
import { ClientError } from '../../../errors';
import type { HandlerContext } from '../../context';
import type { EventName } from '../../schemas';

export const SUSPENDABLE: ReadonlySet<EventName> = new Set<EventName>([
  'find-match',
  'next-match',
  'room-create',
  'room-join',
  'room-message',
  'keep-in-touch',
  'dm-send',
]);

/** Throws SUSPENDED when the event is closed to a suspended user and this one is. */
export function checkSuspension(ctx: HandlerContext, event: EventName): void {
  if (SUSPENDABLE.has(event) && ctx.services.enforcement.isSuspended(ctx.userId)) throw new ClientError('SUSPENDED');
}
