/**
 * Builds a parley node: backend, matchmaker, Socket.IO and HTTP. Does not
 * listen (main.ts does); `close()` drains and is safe to call twice.
 */
import { catchUpChats } from './realtime/chat-catch-up';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import { nanoid } from 'nanoid';
import pino, { type Logger } from 'pino';
import { Server } from 'socket.io';
import { createBackend, roomRetentionMs } from './backend';
import type { Config } from './config';
import { createMetrics, type Metrics } from './metrics';
import { createApp } from './http/app';
import { Matchmaker } from './matchmaking/matchmaker';
import { systemClock, type Clock } from './clock';
import { Reaper } from './matchmaking/reaper';
import { ContactService } from './contacts/contact-service';
import { DmService } from './contacts/dm-service';
import { createEncounters } from './contacts/encounters';
import { AdminService } from './moderation/admin-service';
import { Enforcement } from './moderation/enforcement';
import { createEvidenceSource } from './moderation/evidence';
import { createIpHasher } from './moderation/ip-hash';
import { ReportService } from './moderation/report-service';
import { createEnforcer } from './realtime/enforcer';
import { userChannel } from './realtime/channels';
import { Archiver } from './rooms/archiver';
import { createRoomChannels } from './realtime/room-channels';
import { RoomService } from './rooms/room-service';
import { attachConnections } from './realtime/connection';
import type { Services } from './realtime/context';
import { IdentityIssuer } from './realtime/identity';
import { createContactNotifier } from './realtime/contact-notifier';
import { createMatchNotifier } from './realtime/match-notifier';
import { createRoomNotifier } from './realtime/room-notifier';
import { OnlineCounter } from './realtime/online-count';
import { takeBackConnections } from './realtime/take-back';
import { spend } from './realtime/handlers/support';
import { isOriginAllowed } from './realtime/origin';
import { requestIp } from './realtime/admission';
import { EngineConnections } from './realtime/engine-admission';
import type { ParleyIo } from './realtime/types';
import type { Postgres } from './store/postgres/pool';
import { createRoomArchive } from './store/postgres/room-archive';
import type { OneToOneStore } from './store/one-to-one-store';
import { ProofOfWork } from './moderation/proof-of-work';
import { loadRules } from './moderation/rules';
import { RulesGate } from './moderation/rules-gate';

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
const MAINTENANCE_INTERVAL_MS = 60_000;
const REAPER_INTERVAL_MS = 1000;
/** How often expired direct messages are purged (every node; the purge is idempotent). */
const DM_PURGE_INTERVAL_MS = 3_600_000;
/**
 * A transport that has not sent the Socket.IO connect packet within this long
 * is closed (Socket.IO's default is 45 s). Clients send it right after the
 * transport opens; until then the connection counts against its address's
 * cap only on this node (src/realtime/engine-admission.ts).
 */
const CONNECT_TIMEOUT_MS = 10_000;

export async function createServer(config: Config, deps: ServerDeps = {}): Promise<ParleyServer> {
  const logger = deps.logger ?? pino({ level: config.logLevel, base: { nodeId: config.nodeId } });
  for (const warning of config.warnings) logger.warn(warning);
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  let metrics: Metrics | undefined;
  const backend = await createBackend(config, logger, (command, seconds) => metrics?.storeCommand(command, seconds));
  const presenceIntervalMs = deps.presenceIntervalMs ?? 2000;
  const nodeTtlMs = presenceIntervalMs * 3;
  const publicDir =
    deps.publicDir ?? (path.basename(__dirname) === 'dist' ? COMPILED_PUBLIC_DIR : DEFAULT_PUBLIC_DIR);

  const rules = loadRules();
  const rulesGate = new RulesGate(rules, backend.store, { enabled: config.rulesGate, minAge: config.minAge });
  const pow = new ProofOfWork(
    { difficulty: config.powDifficulty, ttlMs: config.powTtlMs, secret: config.sessionSecret },
    backend.store,
  );

  const identities = new IdentityIssuer(config.sessionSecret);
  const hashIp = createIpHasher(config.sessionSecret);
  let online: OnlineCounter | undefined;
  let rooms: RoomService | undefined;
  let admin: AdminService | undefined;
  let draining = false;
  const app = createApp({
    config,
    store: backend.store,
    stats: () => online!.stats(),
    startedAt,
    publicDir,
    draining: () => draining,
    metrics: () => metrics!.registry,
    postgres: backend.postgres,
    rooms: () => rooms!,
    admin: () => admin!,
    hashIp,
    identify: (token) => identities.verify(token),
    rules,
    pow,
    clock,
    logger,
  });
  // Express is the server's only request listener; Socket.IO intercepts its
  // own path first, so the two never answer the same request.
  const httpServer = createHttpServer(app);
  const transports = new EngineConnections(config.maxConnectionsPerIp, (req) =>
    requestIp(req.headers, req.socket.remoteAddress ?? '', config.trustProxy),
  );
  const io: ParleyIo = new Server(httpServer, {
    // Messages are short; anything much bigger is refused before parsing.
    maxHttpBufferSize: Math.max(16_384, config.maxMessageLength * 8),
    allowRequest: (req, callback) => {
      if (!isOriginAllowed(req, config.corsOrigins)) return callback(null, false);
      if (!transports.allows(req)) return callback('Too many open connections from your network.', false);
      callback(null, true);
    },
    connectTimeout: CONNECT_TIMEOUT_MS,
    cors: config.corsOrigins.length > 0 ? { origin: [...config.corsOrigins] } : undefined,
    ...(backend.adapter ? { adapter: backend.adapter } : {}),
  });
  transports.attach(io.engine);

  metrics = createMetrics(
    config.nodeId,
    backend.store,
    () => io.of('/').sockets.size,
    backend.postgres,
    () => matchmaker.searching,
    backend.adapterMessagesReceived,
  );
  const matchmaker = new Matchmaker(
    {
      store: backend.store,
      locker: backend.locker,
      clock,
      notifier: createMatchNotifier(io),
      newRoomId: () => nanoid(),
      nodeId: config.nodeId,
      onError: (err) => logger.warn({ err }, 'background search failed'),
      onPaired: (waits) => metrics?.paired(waits),
      onStateChange: (userIds) => online?.touch(userIds),
    },
    config,
  );
  // With PostgreSQL, acknowledged room changes go through the log to the archive.
  const archive = backend.postgres ? createRoomArchive(backend.postgres.pool) : undefined;
  const archiver = archive
    ? new Archiver(backend.roomOutbox, archive, {
        consumer: config.nodeId,
        onError: (err) => logger.debug({ err }, 'room archive write failed; retrying'),
      })
    : undefined;
  rooms = new RoomService(
    {
      ...(archive ? { archive } : {}),
      store: backend.roomsStore,
      clock,
      notifier: createRoomNotifier(io, { feed: backend.roomFeed !== undefined }),
      newCode: () => nanoid(),
      newMessageId: () => nanoid(),
      nodeId: config.nodeId,
    },
    config,
  );
  await rooms.ensurePublicRooms(config.rooms);
  const contactNotifier = createContactNotifier(io);
  const contacts = new ContactService(
    {
      store: backend.contactsStore,
      presence: backend.presence,
      encounters: createEncounters(backend.store, clock, config.blockTtlMs),
      clock,
      notifier: contactNotifier,
      newId: () => nanoid(),
      nodeId: config.nodeId,
    },
    config,
  );
  const dms = new DmService(
    { store: backend.contactsStore, contacts, clock, notifier: contactNotifier, newMessageId: () => nanoid() },
    config,
  );
  online = new OnlineCounter(io, backend.store, clock, logger, {
    nodeId: config.nodeId,
    intervalMs: presenceIntervalMs,
    nodeTtlMs,
    onSwept: () =>
      takeBackConnections({ io, matchmaker, store: backend.store, contacts, clock, logger, nodeId: config.nodeId, nodeTtlMs }),
  });
  const reaper = new Reaper(
    matchmaker,
    backend.store,
    backend.locker,
    clock,
    { intervalMs: REAPER_INTERVAL_MS, nodeTtlMs, nodeId: config.nodeId },
    {
      onTick: () => Promise.all([rooms.expire(), contacts.expire()]),
      onDeadNode: (nodeId) => Promise.all([rooms.sweepNode(nodeId), contacts.sweepNode(nodeId)]),
      onError: (err) => logger.debug({ err }, 'upkeep pass failed'),
      onStateLost: () => {
        // Redis came back without our data: every client starts over.
        logger.warn('shared state was lost; asking clients to start over');
        for (const socket of io.of('/').sockets.values()) {
          const { userId, ipHash } = socket.data;
          Promise.all([
            matchmaker.connect(userId, socket.id, config.nodeId),
            backend.store.admitIp(ipHash, config.nodeId, Number.MAX_SAFE_INTEGER, clock.now(), nodeTtlMs),
          ]).then(
            () => socket.emit('state-lost', {}),
            (err: unknown) => logger.warn({ err }, 'could not re-register a client'),
          );
        }
      },
    },
  );
  // Safety: reports gather server-side evidence; bans and suspensions are
  // enforced on every node from the moderation store.
  const enforcement = new Enforcement(
    backend.moderationStore,
    clock,
    createEnforcer({ io, matchmaker: () => matchmaker, rooms: () => rooms, logger }),
    { markMs: config.banAddressMarkMs, onError: (err) => logger.debug({ err }, 'could not reload bans; the last copy stays in force') },
  );
  const reports = new ReportService(
    {
      store: backend.moderationStore,
      clock,
      newId: () => nanoid(),
      evidence: createEvidenceSource({
        match: backend.store,
        rooms: backend.roomsStore,
        contacts: backend.contactsStore,
        reportWindowMs: config.reportWindowMs,
        dmRetentionMs: config.dmRetentionDays * 86_400_000,
      }),
      addressOf: async (userId) => {
        const [socket] = await io.in(userChannel(userId)).fetchSockets();
        return socket?.data.ipHash ?? null;
      },
      spendAddress: (ipHash) => spend(backend.limits.reportAddress, ipHash),
      afterReport: async (reporterId, target) => {
        if (target.kind === 'chat') await matchmaker.block(reporterId).catch(() => undefined);
      },
      onSuspended: (userId) => enforcement.noteSuspended(userId),
      onUnsuspended: (userId) => enforcement.noteUnsuspended(userId),
      onError: (err) => logger.debug({ err }, 'could not record an identity standing'),
    },
    config,
  );
  admin = new AdminService({
    store: backend.moderationStore,
    clock,
    newId: () => nanoid(),
    enforcement,
    policy: config,
    deleteRoomMessage: (code, seq) => rooms.removeMessage(code, seq),
    roomHistory: (code, before, limit) => rooms.history(code, before, limit, 'operator'),
    rooms: {
      listAll: () => rooms.listAll(),
      info: (code) => rooms.info(code),
      remove: async (code) => {
        if (!(await rooms.remove(code))) return false;
        // With PostgreSQL the room's archived history goes too.
        await archive?.remove(code);
        return true;
      },
    },
  });
  const services: Services = {
    config,
    io,
    store: backend.store,
    matchmaker,
    rooms,
    roomChannels: createRoomChannels(io, backend.roomsStore, backend.roomFeed, logger),
    contacts,
    dms,
    reports,
    enforcement,
    clock,
    logger,
    limits: backend.limits,
    newMessageId: () => nanoid(),
    metrics,
    nodeTtlMs,
    rulesGate,
    pow,
    hashIp,
  };
  attachConnections(services, identities, online);
  backend.onShardMoved((since) => {
    catchUpChats(io, backend.store, since, logger).then(
      (replayed) => logger.info({ replayed }, 'chat messages replayed after a Redis Cluster failover'),
      (err: unknown) => logger.warn({ err }, 'chat catch-up failed'),
    );
  });

  online.start();
  reaper.start();
  enforcement.start();
  archiver?.start();
  const maintenance = setInterval(() => {
    backend.maintain(clock.now());
    // Room history beyond ROOM_HISTORY_DAYS leaves PostgreSQL (any node may do it; it is idempotent).
    archive?.purge(clock.now() - roomRetentionMs(config)).catch((err: unknown) => logger.debug({ err }, 'room history purge failed'));
    // Reports and their evidence, and identity standings, beyond REPORT_RETENTION_DAYS.
    const retained = clock.now() - config.reportRetentionDays * 86_400_000;
    Promise.all([backend.moderationStore.purgeReports(retained), backend.moderationStore.purgeStandings(retained)]).catch((err: unknown) =>
      logger.debug({ err }, 'report purge failed'),
    );
    // Suspensions whose reporters turn out not to be independent are lifted.
    reports.review().then(
      (lifted) => lifted.length > 0 && logger.info({ lifted: lifted.length }, 'suspensions lifted: their reporters were not independent'),
      (err: unknown) => logger.debug({ err }, 'suspension review failed'),
    );
  }, MAINTENANCE_INTERVAL_MS);
  maintenance.unref();
  const purgeDms = (): void => {
    dms.purge().then(
      (purged) => purged > 0 && logger.info({ purged }, 'expired direct messages purged'),
      (err: unknown) => logger.warn({ err }, 'direct message purge failed'),
    );
  };
  purgeDms();
  const purging = setInterval(purgeDms, DM_PURGE_INTERVAL_MS);
  purging.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(maintenance);
      clearInterval(purging);
      matchmaker.close();
      await reaper.stop();
      await online.stop();
      enforcement.stop();
      await archiver?.stop();
      // Disconnecting every socket runs each user's cleanup while the store is up.
      io.local.disconnectSockets(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await backend.close();
    })());

  let draining$: Promise<void> | undefined;
  const drain = (): Promise<void> =>
    (draining$ ??= (async () => {
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

  logger.info({ store: backend.store.kind, postgres: backend.postgres !== undefined }, 'parley node ready');
  return { config, httpServer, io, store: backend.store, postgres: backend.postgres, logger, drain, close };
}
