/** Every failure the SDK reports: a server refusal (its wire code) or a local one. */
import type { ErrorBody, ErrorCode } from './wire';

/**
 * Codes of failures found on this side of the wire: no acknowledgement in time
 * (`TIMEOUT`), no connection to send on within the timeout (`DISCONNECTED`), the
 * client was closed or stopped (`CLOSED`), or a connection attempt failed
 * without a server code (`CONNECT_FAILED`).
 */
export type LocalErrorCode = 'TIMEOUT' | 'DISCONNECTED' | 'CLOSED' | 'CONNECT_FAILED';

export class ParleyError extends Error {
  override readonly name = 'ParleyError';

  constructor(
    /** The server's code (see the protocol's ERROR_CODES) or a local one. */
    readonly code: ErrorCode | LocalErrorCode,
    message: string,
    /** Whatever else the server sent with the refusal (for BANNED: `until`, epoch ms or null). */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The error of a refused request: its code and message, and in `data` the rest (MUTED: `until`, SLOW_MODE: `retryAfterMs`). */
export function refusalOf(error: ErrorBody): ParleyError {
  const { code, message, ...rest } = error;
  return new ParleyError(code, message, Object.keys(rest).length > 0 ? rest : undefined);
}

/** The error of a refused handshake (socket.io-client's `connect_error`), with the server's code when it gave one. */
export function connectErrorOf(err: Error & { data?: unknown }): ParleyError {
  const data = err.data as { code?: unknown; message?: unknown } | undefined;
  if (data && typeof data.code === 'string') {
    const { code, message, ...rest } = data as { code: ErrorCode; message?: string };
    return new ParleyError(code, typeof message === 'string' ? message : err.message, rest);
  }
  return new ParleyError('CONNECT_FAILED', err.message);
}
