/**
 * The services of a node, each built once over the backend and Socket.IO:
 * metrics, matchmaking, topic rooms and their archive, contacts and direct
 * messages, presence, the reaper, and safety (src/node/moderation.ts).
 */
import { nanoid } from 'nanoid';
import { ContactService } from '../contacts/contact-service';
import { DmService } from '../contacts/dm-service';
import { createEncounters } from '../contacts/encounters';
import { Matchmaker } from '../matchmaking/matchmaker';
import { Reaper } from '../matchmaking/reaper';
import { addOperationsGauges, createMetrics, type Metrics } from '../metrics';
import { createContactNotifier } from '../realtime/contact-notifier';
import { createMatchNotifier } from '../realtime/match-notifier';
import { iceServers } from '../call/ice-servers';
import { OnlineCounter } from '../realtime/online-count';
import { createRoomMarks, type RoomMarks } from '../realtime/room-marks';
import { createRoomNotifier } from '../realtime/room-notifier';
import { takeBackConnections } from '../realtime/take-back';
import { Archiver } from '../rooms/archiver';
import { RoomService } from '../rooms/room-service';
import { createRoomArchive } from '../store/postgres/room-archive';
import { createModeration, type Moderation } from './moderation';
import type { NodeParts, RoomArchive } from './parts';
import { startOver } from './recovery';

const REAPER_INTERVAL_MS = 1000;

export interface NodeServices extends Moderation {
  metrics: Metrics;
  matchmaker: Matchmaker;
  rooms: RoomService;
  /** Hands pins and reactions to this node's members, and ends pins on time. */
  roomMarks: RoomMarks;
  /** The rooms' archive in PostgreSQL; undefined without DATABASE_URL. */
  archive: RoomArchive | undefined;
  /** Moves acknowledged room changes from the log to the archive; undefined without DATABASE_URL. */
  archiver: Archiver | undefined;
  contacts: ContactService;
  dms: DmService;
  online: OnlineCounter;
  reaper: Reaper;
}

export async function createServices(parts: NodeParts): Promise<NodeServices> {
  const { config, backend, io, clock, logger, nodeTtlMs } = parts;
  const metrics = createMetrics(
    config.nodeId,
    backend.store,
    () => io.of('/').sockets.size,
    backend.postgres,
    // Read at each scrape, once the matchmaker below exists.
    () => matchmaker.searching,
    backend.adapterMessagesReceived,
  );
  backend.observeCommands((command, seconds) => metrics.storeCommand(command, seconds));
  const matchmaker = new Matchmaker(
    {
      store: backend.store,
      locker: backend.locker,
      clock,
      notifier: createMatchNotifier(io, config.nodeId, (userId) => iceServers(config, userId, clock.now())),
      newRoomId: () => nanoid(),
      nodeId: config.nodeId,
      onError: (err) => logger.warn({ err }, 'background search failed'),
      onPaired: (waits) => metrics.paired(waits),
      // Told only once users search, after the counter below exists.
      onStateChange: (userIds) => online.touch(userIds),
    },
    config,
  );
  // With PostgreSQL, acknowledged room changes go through the log to the archive.
  const archive = backend.postgres ? createRoomArchive(backend.postgres.pool) : undefined;
  const archiver = archive
    ? new Archiver(backend.roomOutbox, archive, {
        consumer: config.nodeId,
        now: () => clock.now(),
        onError: (err) => logger.debug({ err }, 'room archive write failed; retrying'),
      })
    : undefined;
  const roomMarks = createRoomMarks(io, backend.roomsStore, clock, logger);
  const rooms = new RoomService(
    {
      ...(archive ? { archive, recorded: (code: string, now: number) => archive.moderation(code, now) } : {}),
      store: backend.roomsStore,
      reads: backend.roomReads,
      backstages: backend.roomBackstages,
      ...(backend.backstageRecord ? { backstageRecord: backend.backstageRecord } : {}),
      clock,
      notifier: createRoomNotifier(io, roomMarks, { feed: backend.roomFeed !== undefined }),
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
  const online = new OnlineCounter(io, backend.store, clock, logger, {
    nodeId: config.nodeId,
    intervalMs: parts.presenceIntervalMs,
    framesPerSecond: config.presenceFramesPerSecond,
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
      onTick: () => Promise.all([rooms.presence.expire(), contacts.expire()]),
      onDeadNode: (nodeId) => Promise.all([rooms.presence.sweepNode(nodeId), contacts.sweepNode(nodeId)]),
      onError: (err) => logger.debug({ err }, 'upkeep pass failed'),
      onStateLost: () => startOver(parts, matchmaker),
    },
  );
  const moderation = createModeration(parts, { matchmaker, rooms, archive, metrics });
  addOperationsGauges(metrics.registry, {
    clusterNodes: async () => (await backend.store.nodes(clock.now(), nodeTtlMs)).length,
    reportQueue: () => backend.moderationStore.reportQueue(),
    ...(archiver ? { archiveLagMs: () => archiver.lagMs() } : {}),
    now: () => clock.now(),
  });
  return { metrics, matchmaker, rooms, roomMarks, archive, archiver, contacts, dms, online, reaper, ...moderation };
}
