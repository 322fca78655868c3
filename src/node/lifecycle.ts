/**
 * How a node stops: `close()` stops the timers, disconnects every socket while
 * the store is up, then closes Socket.IO, the HTTP server and the backend;
 * `drain()` first hands every client to another node. Both are safe to call
 * twice.
 */
import type { Server as HttpServer } from 'node:http';
import type { NodeParts } from './parts';
import type { Upkeep } from './upkeep';

export interface Lifecycle {
  /** True once the node drains (readiness turns 503). */
  draining(): boolean;
  drain(): Promise<void>;
  close(): Promise<void>;
}

export function createLifecycle({ config, backend, io, clock, logger }: NodeParts, httpServer: HttpServer, upkeep: Upkeep): Lifecycle {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await upkeep.stop();
      // Disconnecting every socket runs each user's cleanup while the store is up.
      io.local.disconnectSockets(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await backend.close();
    })());

  let draining = false;
  let drained: Promise<void> | undefined;
  const drain = (): Promise<void> =>
    (drained ??= (async () => {
      draining = true;
      logger.info({ timeoutMs: config.drainTimeoutMs }, 'draining');
      // New TCP connections are refused, so the load balancer sends the
      // reconnecting clients to other nodes.
      httpServer.close();
      // A transport close (unlike a server-side disconnect) leaves the
      // client's automatic reconnection on. Chats wait in the resume grace.
      for (const socket of io.of('/').sockets.values()) socket.conn.close();
      const deadline = clock.now() + config.drainTimeoutMs;
      while (io.of('/').sockets.size > 0 && clock.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      httpServer.closeAllConnections();
      await close();
    })());

  return { draining: () => draining, drain, close };
}
