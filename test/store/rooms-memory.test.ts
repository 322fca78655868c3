import { MemoryRoomLog } from '../../src/store/memory/room-log';
import { MemoryRoomsStore } from '../../src/store/memory/rooms-store';
import { describeRoomLogContract } from './room-log-contract';
import { describeRoomsStoreContract, room } from './rooms-store-contract';

describeRoomsStoreContract('memory', async () => ({ store: new MemoryRoomsStore() }));
describeRoomLogContract('memory', async () => {
  const log = new MemoryRoomLog();
  return { store: new MemoryRoomsStore({ log }), log };
});

test('the memory store keeps the last messages of a room up to its cap', async () => {
  const store = new MemoryRoomsStore({ recentCap: 3 });
  await store.createRoom(room('r'));
  await store.join({ code: 'r', userId: 'a', name: 'Ann', keepName: false, sid: 's', node: 'n', now: 0, maxMembers: 5, maxRooms: 5 });
  for (let i = 1; i <= 5; i++) await store.append('r', 'a', { id: `m${i}`, text: 't', sentAt: i });
  expect((await store.messagesAfter('r', 0, 100)).map((m) => m.seq)).toEqual([3, 4, 5]);
});
