/**
 * The app's last middleware: any error a route or parser did not answer
 * becomes `{ error: { code, message } }` without a stack, message or path,
 * whatever NODE_ENV says (Express's own handler shows the stack outside
 * production). A request error Express or body-parser marks as the client's
 * (a malformed URI, bad JSON, a body too large: a 4xx `status`) keeps its
 * status with INVALID_PAYLOAD; anything else is 500 INTERNAL, logged in full.
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ERROR_MESSAGES } from '../errors';
import type { ErrorCode, HttpError } from '../protocol';

function clientStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 500 ? value : undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const status = clientStatus(err);
    if (status === undefined) logger.error({ err, method: req.method, route: (req.route as { path?: string } | undefined)?.path }, 'HTTP request failed');
    else logger.debug({ err, method: req.method, status }, 'HTTP request refused');
    // Too late for an answer of our own: Express closes the connection.
    if (res.headersSent) return next(err);
    const code: ErrorCode = status === undefined ? 'INTERNAL' : 'INVALID_PAYLOAD';
    res.status(status ?? 500).json({ error: { code, message: ERROR_MESSAGES[code] } } satisfies HttpError);
  };
}
