/** What the room rules are built from: the stores, a clock, a notifier and the code makers. */
import type { Clock } from '../clock';
import type { RoomModeration, SavedRooms } from '../store/room-archive';
import type { RoomBackstagesStore } from '../store/room-backstages';
import type { RoomReadsStore } from '../store/room-reads';
import type { RoomHistory, RoomsStore } from '../store/rooms-store';
import type { RoomNotifier } from './ports';

export interface RoomServiceDeps {
  store: RoomsStore;
  /** Members' read positions (unread counts). */
  reads: RoomReadsStore;
  /** The links between rooms and their backstages, and who the hosts invited (what the rules read). */
  backstages: RoomBackstagesStore;
  /** Set with PostgreSQL: their record, written first and read back when a room is put back after a Redis loss. */
  backstageRecord?: RoomBackstagesStore;
  clock: Clock;
  notifier: RoomNotifier;
  /** A fresh unguessable code (the invite of a private room). */
  newCode: () => string;
  newMessageId: () => string;
  nodeId: string;
  random?: () => number;
  /** Set with PostgreSQL: history older than the store's recent window, and the rooms to put back after a Redis loss. */
  archive?: RoomHistory & SavedRooms;
  /** Set with PostgreSQL: a room's co-hosts, mutes and settings as recorded, taken back when the room is made again (after a Redis loss). */
  recorded?: (code: string, now: number) => Promise<RoomModeration>;
}
