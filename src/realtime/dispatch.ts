/**
 * Routes each client event to its handler: checks the schema, calls the
 * handler, and answers through the ack (or the `error` event when there is
 * no ack). Only allowlisted error codes and messages ever leave the node.
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ClientError, ERROR_MESSAGES, rateLimited, StoreUnavailableError } from '../errors';
import type { HandlerContext } from './context';
import type { EventBudgets } from './event-budgets';
import type { ErrorBody, ErrorCode } from '../protocol';
import { checkSuspension } from './handlers/moderation/suspension';
import { settleIfGone } from './handlers/support';
import { schemas, type EventName, type PayloadOf } from './schemas';

export type Handler<E extends EventName> = (ctx: HandlerContext, payload: PayloadOf<E>) => Promise<object>;

/**
 * A client whose refusals weigh more than this within the window is cut off.
 * An invalid or over-budget event weighs 2, any other refusal (an unknown
 * room, not in a chat, …) 1: more than 20 garbage events in 10 s, or more
 * than 40 refused ones, close the connection. The server's own failures
 * (UNAVAILABLE, INTERNAL) weigh nothing.
 */
const REFUSAL_LIMIT = 40;
const REFUSAL_WINDOW_MS = 10_000;
const HEAVY_REFUSALS: ReadonlySet<ErrorCode> = new Set(['INVALID_PAYLOAD', 'RATE_LIMITED']);
const SERVER_FAULTS: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'INTERNAL']);

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof ClientError) return { code: err.code, message: err.message, ...err.details };
  if (err instanceof RateLimiterRes) return toErrorBody(rateLimited(err.msBeforeNext));
  const code: ErrorCode = err instanceof StoreUnavailableError ? 'UNAVAILABLE' : 'INTERNAL';
  return { code, message: ERROR_MESSAGES[code] };
}

/** Weighs a socket's refused events; true once it should be disconnected. */
export class RefusalCounter {
  private stamps: { at: number; weight: number }[] = [];

  hit(code: ErrorCode, now: number): boolean {
    if (SERVER_FAULTS.has(code)) return false;
    this.stamps = this.stamps.filter((s) => s.at > now - REFUSAL_WINDOW_MS);
    this.stamps.push({ at: now, weight: HEAVY_REFUSALS.has(code) ? 2 : 1 });
    return this.stamps.reduce((sum, s) => sum + s.weight, 0) > REFUSAL_LIMIT;
  }
}

/** What a connection's dispatch keeps between events. */
export interface Guard {
  refusals: RefusalCounter;
  budgets: EventBudgets;
}

/** Every client event and its handler. */
export type HandlerTable = { readonly [E in EventName]: Handler<E> };

type Ack = ((response: unknown) => void) | undefined;

type Response = { ok: true } | { ok: false; error: ErrorBody };

/** Answers through the ack, or the `error` event when there is none. */
function answer(ctx: HandlerContext, ack: Ack, response: Response): void {
  if (!response.ok) ctx.services.metrics.error(response.error.code);
  if (ack) ack(response);
  else if (!response.ok) ctx.socket.emit('error', response.error);
}

/** Answers, and counts a refusal towards disconnection. */
function settle(ctx: HandlerContext, guard: Guard, ack: Ack, response: Response): void {
  answer(ctx, ack, response);
  if (response.ok || !guard.refusals.hit(response.error.code, ctx.services.clock.now()) || !ctx.socket.connected) return;
  ctx.services.logger.warn({ userId: ctx.userId }, 'disconnecting a client that keeps sending refused events');
  ctx.socket.disconnect(true);
}

const invalid = (message: string): Response => ({ ok: false, error: { code: 'INVALID_PAYLOAD', message } });

/**
 * Answers one client event of a socket: an unknown event or a bad payload
 * gets INVALID_PAYLOAD, a known one spends a point of its budget and goes
 * to its handler; every refusal counts towards disconnection. Sockets share
 * the handlers: a connection holds one listener, not one per event.
 */
export async function dispatch(
  handlers: HandlerTable,
  ctx: HandlerContext,
  guard: Guard,
  event: string,
  args: unknown[],
): Promise<void> {
  const ack: Ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : undefined;
  if (!Object.hasOwn(handlers, event)) return settle(ctx, guard, ack, invalid('Unknown event.'));
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
  if (!parsed?.success) return settle(ctx, guard, ack, invalid(`Invalid payload for "${name}".`));
  let response: Response;
  try {
    await guard.budgets.spend(name, ctx.services.clock.now());
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
  settle(ctx, guard, ack, response);
}
