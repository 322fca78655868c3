/**
 * What a connection no longer needs once it is connected: the HTTP upgrade
 * request (its headers, raw headers and stream state) and the handshake's
 * headers, auth and query. Engine.IO keeps the request for the whole connection
 * (`conn.request`, and the upgrade's response object through the TCP
 * socket's `close` listener), and Socket.IO keeps the handshake; parley
 * reads them only during the handshake (address, token, proof of work). A
 * browser's upgrade carries its cookies and user agent, so on a busy node
 * this is a good share of every idle connection's memory.
 *
 * After this, `socket.request` is null and `socket.handshake.headers`,
 * `.auth` and `.query` are one shared, frozen empty object: nothing past the
 * handshake may read them.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';

/** Where the upgrade's response object is noted on its request (see `noteUpgradeResponse`). */
const UPGRADE_RESPONSE = Symbol('upgrade response');

/** What every connection's released handshake fields point to. */
const NOTHING: Record<string, never> = Object.freeze({});

interface UpgradeRequest extends IncomingMessage {
  [UPGRADE_RESPONSE]?: { req: IncomingMessage | null };
}

/**
 * An Engine.IO middleware: notes a WebSocket upgrade's response object on its
 * request, so that `releaseHandshake` can cut the response's hold on the
 * request. A plain HTTP response (long polling) is left alone.
 */
export function noteUpgradeResponse(req: IncomingMessage, res: unknown, next: (err?: unknown) => void): void {
  if (!(res instanceof ServerResponse) && typeof res === 'object' && res !== null && 'req' in res) {
    (req as UpgradeRequest)[UPGRADE_RESPONSE] = res as { req: IncomingMessage | null };
  }
  next();
}

/** Lets go of the upgrade request and the handshake's headers, auth and query, once the connection is set up. */
export function releaseHandshake(socket: Pick<Socket, 'conn' | 'handshake'>): void {
  const conn = socket.conn as unknown as { request: UpgradeRequest | null };
  const response = conn.request?.[UPGRADE_RESPONSE];
  if (response) response.req = null;
  conn.request = null;
  socket.handshake.headers = NOTHING;
  socket.handshake.auth = NOTHING;
  socket.handshake.query = NOTHING;
}
