/** The single node's backend: everything in this process's memory. */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { noLock } from '../store/locker';
import { MemoryPresenceStore } from '../store/memory/presence-store';
import { MemoryRoomOutbox } from '../store/memory/room-outbox';
import { MemoryRoomBackstages } from '../store/memory/room-backstages';
import { MemoryRoomReads } from '../store/memory/room-reads';
import { MemoryRoomsStore } from '../store/memory/rooms-store';
import { MemoryStore } from '../store/memory/match-store';
import { createLimits } from './limits';
import { roomRetentionMs } from './retention';
import type { MatchBackend } from './types';

export function createMemoryBackend(config: Config): MatchBackend {
  const store = new MemoryStore(config.reportWindowMs);
  const roomOutbox = new MemoryRoomOutbox();
  const roomsStore = new MemoryRoomsStore({ retentionMs: roomRetentionMs(config), emptyTtlMs: config.roomEmptyTtlMs, ...(config.databaseUrl ? { log: roomOutbox } : {}) });
  return {
    store,
    roomsStore,
    roomReads: new MemoryRoomReads(),
    roomBackstages: new MemoryRoomBackstages(),
    roomOutbox,
    roomFeed: undefined,
    presence: new MemoryPresenceStore(),
    locker: noLock,
    adapter: undefined,
    limits: createLimits(config, (_name, options) => new RateLimiterMemory(options)),
    maintain: (now) => {
      store.prune(now, config.rematchWindowMs);
      roomsStore.prune(now);
    },
    observeCommands: () => undefined,
    onShardMoved: () => undefined,
    adapterMessagesReceived: () => 0,
    close: async () => undefined,
  };
}
