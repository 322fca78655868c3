/**
 * Binds one handler to one client event: checks the schema, calls the
 * handler, and answers through the ack (or the `error` event when there is
 * no ack). Only allowlisted error codes and messages ever leave the node.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ClientError, ERROR_MESSAGES, rateLimited, StoreUnavailableError, type ErrorCode } from '../errors';
import type { HandlerContext } from './context';
import type { ErrorBody } from './protocol';
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

export function register<E extends EventName>(
  ctx: HandlerContext,
  invalid: InvalidEventCounter,
  event: E,
  handler: Handler<E>,
): void {
  const { socket, services } = ctx;
  const listener = async (...args: unknown[]): Promise<void> => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: unknown) => void) : undefined;
    const reply = (response: { ok: true } | { ok: false; error: ErrorBody }): void => {
      if (!response.ok) services.metrics.error(response.error.code);
      if (ack) ack(response);
      else if (!response.ok) socket.emit('error', response.error);
    };
    // Only plain objects, and never an own `__proto__` key (which a schema may not see).
    const payload = args[0];
    const plain =
      args.length === 1 &&
      typeof payload === 'object' &&
      payload !== null &&
      Object.getPrototypeOf(payload) === Object.prototype &&
      !Object.hasOwn(payload, '__proto__');
    const parsed = plain ? schemas[event].safeParse(payload) : null;
    if (!parsed?.success) {
      reply({ ok: false, error: { code: 'INVALID_PAYLOAD', message: `Invalid payload for "${event}".` } });
      if (invalid.hit(services.clock.now())) {
        services.logger.warn({ userId: ctx.userId }, 'disconnecting a client that keeps sending invalid events');
        socket.disconnect(true);
      }
      return;
    }
    try {
      const result = await handler(ctx, parsed.data as PayloadOf<E>);
      reply({ ok: true, ...result });
    } catch (err) {
      const error = toErrorBody(err);
      if (error.code === 'INTERNAL') services.logger.error({ err, event, userId: ctx.userId }, 'handler failed');
      reply({ ok: false, error });
    }
  };
  socket.on(event, listener as never);
}
