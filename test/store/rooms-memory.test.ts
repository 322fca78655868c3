import { MemoryRoomOutbox } from '../../src/store/memory/room-outbox';
import { MemoryRoomReads } from '../../src/store/memory/room-reads';
import { describeRoomReadsContract } from './room-reads-contract';
import { MemoryRoomBackstages } from '../../src/store/memory/room-backstages';
import { describeRoomBackstagesContract } from './room-backstages-contract';
import { MemoryRoomsStore } from '../../src/store/memory/rooms-store';
import { describeRoomModerationContract } from './room-moderation-contract';
import { describeRoomOutboxContract } from './room-outbox-contract';
import { describeRoomsStoreContract, room } from './rooms-store-contract';

describeRoomsStoreContract('memory', async (options) => ({ store: new MemoryRoomsStore(options) }));
describeRoomModerationContract('memory', async () => ({ store: new MemoryRoomsStore() }));
describeRoomReadsContract('memory', async () => ({ reads: new MemoryRoomReads() }));
describeRoomBackstagesContract('memory', async () => ({ backstages: new MemoryRoomBackstages() }));
describeRoomOutboxContract('memory', async () => {
  const log = new MemoryRoomOutbox();
  return { store: new MemoryRoomsStore({ log }), log };
});

test('the memory store keeps the last messages of a room up to its cap', async () => {
  const store = new MemoryRoomsStore({ recentCap: 3 });
  await store.createRoom(room('r'));
  await store.join({ code: 'r', userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  for (let i = 1; i <= 5; i++) await store.append('r', 'a', { id: `m${i}`, text: 't', sentAt: i });
  expect((await store.messagesAfter('r', 0, 100)).map((m) => m.seq)).toEqual([3, 4, 5]);
});

test('memory upkeep drops messages past the retention, and a room a user created once it stayed empty for the empty-room time', async () => {
  const store = new MemoryRoomsStore({ retentionMs: 1000, emptyTtlMs: 1000 });
  await store.createRoom(room('mine', { hostId: 'a' }));
  await store.createRoom(room('lobby'));
  for (const code of ['mine', 'lobby']) {
    await store.join({ code, userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
    await store.append(code, 'a', { id: `${code}1`, text: 't', sentAt: 100 });
  }
  store.prune(1050);
  expect(await store.messagesAfter('mine', 0, 10)).toHaveLength(1);
  store.prune(1200);
  expect(await store.messagesAfter('mine', 0, 10)).toEqual([]);
  await store.leave('mine', 'a');
  await store.leave('lobby', 'a');
  store.prune(2000);
  store.prune(2999);
  expect(await store.getRoom('mine')).not.toBeNull();
  store.prune(3000);
  expect(await store.getRoom('mine')).toBeNull();
  expect(await store.getRoom('lobby')).not.toBeNull();
});

test('an empty room a user created goes after the empty-room time (ROOM_EMPTY_TTL_HOURS), not the message retention', async () => {
  const hour = 3_600_000;
  const store = new MemoryRoomsStore({ retentionMs: 30 * 24 * hour, emptyTtlMs: 3 * hour });
  await store.createRoom(room('mine', { hostId: 'a' }));
  await store.createRoom(room('lobby'));
  for (const code of ['mine', 'lobby']) {
    await store.join({ code, userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
    await store.leave(code, 'a');
  }
  store.prune(0);
  store.prune(3 * hour - 1);
  expect(await store.getRoom('mine')).not.toBeNull();
  store.prune(3 * hour);
  expect(await store.getRoom('mine')).toBeNull();
  expect((await store.listPublic()).map((r) => r.code)).toEqual(['lobby']);
});
