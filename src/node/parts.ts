/** What every part of a node is built from. */
import type { Logger } from 'pino';
import type { Backend } from '../backend/types';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { ParleyIo } from '../realtime/types';
import type { createRoomArchive } from '../store/postgres/room-archive';

/** The rooms' archive and history in PostgreSQL. */
export type RoomArchive = ReturnType<typeof createRoomArchive>;

export interface NodeParts {
  config: Config;
  backend: Backend;
  io: ParleyIo;
  clock: Clock;
  logger: Logger;
  /** How often presence is reported and `online-count` pushed (ms). */
  presenceIntervalMs: number;
  /** A node silent for this long counts as gone. */
  nodeTtlMs: number;
}

