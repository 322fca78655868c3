/**
 * Which browser origins may open a connection: the same origin, the
 * CORS_ORIGINS allowlist, and any client that sends no Origin (non-browsers).
 */
import type { IncomingMessage } from 'node:http';

export function isOriginAllowed(req: IncomingMessage, allowlist: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowlist.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
