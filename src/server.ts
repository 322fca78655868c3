/**
 * Builds a parley node: backend, matchmaker, Socket.IO and HTTP. Does not
 * listen (main.ts does); `close()` drains and is safe to call twice.
 *
 * Nothing is filled in later: the HTTP server is made bare, then Socket.IO
 * and the services over the backend (src/node/services.ts), then Express
 * becomes the server's request listener and Socket.IO takes its own path in
 * front of it. The timers start and stop in src/node/upkeep.ts; drain and
 * close are in src/node/lifecycle.ts.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import { nanoid } from 'nanoid';
import pino, { type Logger } from 'pino';
import { createBackend } from './backend/choose';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { createApp } from './http/app';
import { createLifecycle } from './node/lifecycle';
import { catchUpAfterShardMoves } from './node/recovery';
import type { NodeParts } from './node/parts';
import { createServices } from './node/services';
import { createSocketServer } from './node/socket-server';
import { startUpkeep } from './node/upkeep';
import { attachConnections } from './realtime/connection';
import type { Services } from './realtime/context';
import { createRoomChannels } from './realtime/room-channels';
import type { ParleyIo } from './realtime/types';
import type { Postgres } from './store/postgres/pool';
import type { OneToOneStore } from './store/one-to-one-store';

export interface ServerDeps {
  logger?: Logger;
  clock?: Clock;
  /** Folder of the built web client served at `/`. */
  publicDir?: string;
  /** How often presence is reported and `online-count` pushed (ms). */
  presenceIntervalMs?: number;
}

export interface ParleyServer {
  config: Config;
  httpServer: HttpServer;
  io: ParleyIo;
  store: OneToOneStore;
  /** The durable store; undefined without DATABASE_URL. */
  postgres: Postgres | undefined;
  logger: Logger;
  /**
   * Graceful drain: stop accepting connections, answer 503 on /health/ready,
   * close every client's transport so socket.io-client reconnects by itself
   * (through the load balancer, to another node, where it resumes its chat),
   * then close once they are gone or after DRAIN_TIMEOUT_MS.
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_PUBLIC_DIR = path.resolve(__dirname, '..', 'dist', 'public');
const COMPILED_PUBLIC_DIR = path.resolve(__dirname, 'public');

export async function createServer(config: Config, deps: ServerDeps = {}): Promise<ParleyServer> {
  const logger = deps.logger ?? pino({ level: config.logLevel, base: { nodeId: config.nodeId } });
  for (const warning of config.warnings) logger.warn(warning);
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const backend = await createBackend(config, logger);
  const presenceIntervalMs = deps.presenceIntervalMs ?? 2000;
  const publicDir =
    deps.publicDir ?? (path.basename(__dirname) === 'dist' ? COMPILED_PUBLIC_DIR : DEFAULT_PUBLIC_DIR);

  const httpServer = createHttpServer();
  const sockets = createSocketServer(config, backend.adapter);
  const { io } = sockets;
  const parts: NodeParts = { config, backend, io, clock, logger, presenceIntervalMs, nodeTtlMs: presenceIntervalMs * 3 };
  const node = await createServices(parts);
  const services: Services = {
    config,
    io,
    store: backend.store,
    matchmaker: node.matchmaker,
    rooms: node.rooms,
    roomChannels: createRoomChannels(io, backend.roomsStore, backend.roomFeed, node.roomMarks, logger),
    contacts: node.contacts,
    dms: node.dms,
    reports: node.reports,
    enforcement: node.enforcement,
    clock,
    logger,
    limits: backend.limits,
    newMessageId: () => nanoid(),
    metrics: node.metrics,
    nodeTtlMs: parts.nodeTtlMs,
    rulesGate: node.rulesGate,
    pow: node.pow,
    hashIp: node.hashIp,
  };
  attachConnections(services, node.identities, node.online);
  catchUpAfterShardMoves(parts);
  const upkeep = startUpkeep(parts, node);
  const lifecycle = createLifecycle(parts, httpServer, upkeep);

  // Express is the server's only request listener; Socket.IO intercepts its
  // own path first, so the two never answer the same request.
  httpServer.on(
    'request',
    createApp({
      config,
      store: backend.store,
      stats: () => node.online.stats(),
      startedAt,
      publicDir,
      draining: lifecycle.draining,
      metrics: node.metrics.registry,
      postgres: backend.postgres,
      rooms: node.rooms,
      admin: node.admin,
      hashIp: node.hashIp,
      identify: (token) => node.identities.verify(token),
      rules: node.rules,
      pow: node.pow,
      clock,
      logger,
    }),
  );
  sockets.listenOn(httpServer);

  logger.info({ store: backend.store.kind, postgres: backend.postgres !== undefined }, 'parley node ready');
  return { config, httpServer, io, store: backend.store, postgres: backend.postgres, logger, drain: lifecycle.drain, close: lifecycle.close };
}
