/**
 * The node's Socket.IO server, built before anything is attached to the HTTP
 * server: the services emit through it from the start, and it takes over its
 * own path of the HTTP server last (`listenOn`), in front of Express.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Backend } from '../backend/types';
import type { Config } from '../config';
import { REPORT_FRAME_MAX_LENGTH } from '../moderation/report-frame';
import { requestIp } from '../realtime/admission';
import { EngineConnections } from '../realtime/engine-admission';
import { noteUpgradeResponse } from '../realtime/handshake-release';
import { isOriginAllowed } from '../realtime/origin';
import { MAX_SDP_BYTES } from '../realtime/schemas';
import type { ParleyIo } from '../realtime/types';

/** The packet size every node takes at least: a call's largest SDP, escaped in JSON (twice its size at worst), and room to spare. */
export const PACKET_LIMIT_BYTES = 2 * MAX_SDP_BYTES + 4096;

/**
 * A transport that has not sent the Socket.IO connect packet within this long
 * is closed (Socket.IO's default is 45 s). Clients send it right after the
 * transport opens; until then the connection counts against its address's
 * cap only on this node (src/realtime/engine-admission.ts).
 */
const CONNECT_TIMEOUT_MS = 10_000;

export interface SocketServer {
  io: ParleyIo;
  /**
   * Serves Socket.IO's path of `httpServer`. Call it once the HTTP server's
   * request listener (Express) is in place: Socket.IO answers its own path
   * and hands every other request to that listener, so the two never answer
   * the same request.
   */
  listenOn(httpServer: HttpServer): void;
}

export function createSocketServer(config: Config, adapter: Backend['adapter']): SocketServer {
  const transports = new EngineConnections(config.maxConnectionsPerIp, (req) =>
    requestIp(req.headers, req.socket.remoteAddress ?? '', config.trustProxy),
  );
  const io: ParleyIo = new Server({
    // Messages are short, a call's SDP at most MAX_SDP_BYTES (JSON may double it), a report's still frame the
    // largest payload; anything bigger is refused before parsing.
    maxHttpBufferSize: Math.max(REPORT_FRAME_MAX_LENGTH + 4_096, PACKET_LIMIT_BYTES, config.maxMessageLength * 8),
    allowRequest: (req, callback) => {
      if (!isOriginAllowed(req, config.corsOrigins)) return callback(null, false);
      if (!transports.allows(req)) return callback('Too many open connections from your network.', false);
      callback(null, true);
    },
    connectTimeout: CONNECT_TIMEOUT_MS,
    cors: config.corsOrigins.length > 0 ? { origin: [...config.corsOrigins] } : undefined,
    ...(adapter ? { adapter } : {}),
  });
  return {
    io,
    listenOn: (httpServer) => {
      io.attach(httpServer);
      io.engine.use(noteUpgradeResponse);
      transports.attach(io.engine);
    },
  };
}
