/**
 * Routes each client event to its handler: checks the schema, calls the
 * handler, and answers through the ack (or the `error` event when there is
 * no ack). Only allowlisted error codes and messages ever leave the node.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ClientError, ERROR_MESSAGES, rateLimited, StoreUnavailableError, type ErrorCode } from '../errors';
import type { HandlerContext } from './context';
import type { ErrorBody } from './protocol';
import { checkSuspension } from './handlers/moderation/suspension';
import { settleIfGone } from './handlers/settle-if-gone';
import { schemas, type EventName, type PayloadOf } from './schemas';

export type Handler<E extends EventName> = (ctx: HandlerContext, payload: PayloadOf<E>) => Promise<object>;

/** A client sending more invalid events than this within the window is cut off. */
const INVALID_LIMIT = 20;
const INVALID_WINDOW_MS = 10_000;

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof ClientError) return { code: err.code, message: err.message };
  if (err instanceof RateLimiterRes) return toErrorBody(rateLimited(err.msBeforeNext));
  const code: ErrorCode = err instanceof StoreUnavailableError ? 'UNAVAILABLE' : 'INTERNAL';
  return { code, message: ERROR_MESSAGES[code] };
}

/** Counts a socket's invalid events; true once it should be disconnected. */
export class InvalidEventCounter {
  private stamps: number[] = [];

  hit(now: number): boolean {
    this.stamps = this.stamps.filter((t) => t > now - INVALID_WINDOW_MS);
    this.stamps.push(now);
    return this.stamps.length > INVALID_LIMIT;
  }
}

/** Every client event and its handler. */
export type HandlerTable = { readonly [E in EventName]: Handler<E> };

type Ack = ((response: unknown) => void) | undefined;

/** Answers through the ack, or the `error` event when there is none. */
function answer(ctx: HandlerContext, ack: Ack, response: { ok: true } | { ok: false; error: ErrorBody }): void {
  if (!response.ok) ctx.services.metrics.error(response.error.code);
  if (ack) ack(response);
  else if (!response.ok) ctx.socket.emit('error', response.error);
}

function refuse(ctx: HandlerContext, invalid: InvalidEventCounter, ack: Ack, message: string): void {
  answer(ctx, ack, { ok: false, error: { code: 'INVALID_PAYLOAD', message } });
  if (invalid.hit(ctx.services.clock.now())) {
    ctx.services.logger.warn({ userId: ctx.userId }, 'disconnecting a client that keeps sending invalid events');
    ctx.socket.disconnect(true);
  }
}

/**
 * Answers one client event of a socket: an unknown event or a bad payload
 * gets INVALID_PAYLOAD (and counts towards disconnection), a known one goes
 * to its handler. Sockets share the handlers: a connection holds one
 * listener, not one per event.
 */
export async function dispatch(
  handlers: HandlerTable,
  ctx: HandlerContext,
  invalid: InvalidEventCounter,
  event: string,
  args: unknown[],
): Promise<void> {
  const ack: Ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : undefined;
  if (!Object.hasOwn(handlers, event)) return refuse(ctx, invalid, ack, 'Unknown event.');
  const name = event as EventName;
  // Only plain objects, and never an own `__proto__` key (which a schema may not see).
  const payload = args[0];
  const plain =
    args.length === 1 &&
    typeof payload === 'object' &&
    payload !== null &&
    Object.getPrototypeOf(payload) === Object.prototype &&
    !Object.hasOwn(payload, '__proto__');
  const parsed = plain ? schemas[name].safeParse(payload) : null;
  if (!parsed?.success) return refuse(ctx, invalid, ack, `Invalid payload for "${name}".`);
  let response: { ok: true } | { ok: false; error: ErrorBody };
  try {
    checkSuspension(ctx, name);
    const handler = handlers[name] as Handler<EventName>;
    response = { ok: true, ...(await handler(ctx, parsed.data as PayloadOf<EventName>)) };
  } catch (err) {
    const error = toErrorBody(err);
    if (error.code === 'INTERNAL') ctx.services.logger.error({ err, event: name, userId: ctx.userId }, 'handler failed');
    response = { ok: false, error };
  }
  // The connection may have closed while the request ran: undo what it left behind.
  if (!ctx.socket.connected) await settleIfGone(ctx).catch((err: unknown) => ctx.services.logger.warn({ err, userId: ctx.userId }, 'cleanup after a late request failed'));
  answer(ctx, ack, response);
}
