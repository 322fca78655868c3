/** The archive writer's lag: the time since a pass last read every room change waiting. */
import { Archiver } from '../../src/rooms/archiver';
import type { LoggedRoomEvent, RoomOutbox } from '../../src/store/room-outbox';
import type { RoomArchive } from '../../src/store/room-archive';

function setup(batch: number) {
  let now = 1_000;
  let waiting: LoggedRoomEvent[] = [];
  let failing = false;
  const outbox: RoomOutbox = {
    read: async (_consumer, count) => waiting.slice(0, count),
    ack: async (ids) => {
      waiting = waiting.filter((e) => !ids.includes(e.id));
    },
  };
  const archive = {
    write: async () => {
      if (failing) throw new Error('archive down');
    },
  } as unknown as RoomArchive;
  const archiver = new Archiver(outbox, archive, { consumer: 'node-1', batch, now: () => now });
  const add = (n: number) => {
    for (let i = 0; i < n; i++) waiting.push({ id: `${waiting.length}-${i}-${now}`, event: { kind: 'gone', code: 'r' } });
  };
  return {
    archiver,
    add,
    advance: (ms: number) => (now += ms),
    fail: (on: boolean) => (failing = on),
  };
}

test('is 0 before the writer starts and stays near 0 while every pass drains the outbox', async () => {
  const { archiver, add, advance } = setup(10);
  expect(archiver.lagMs()).toBe(0);
  add(3);
  advance(200);
  expect(await archiver.pass()).toBe(3);
  expect(archiver.lagMs()).toBe(0);
  advance(50);
  expect(await archiver.pass()).toBe(0);
  expect(archiver.lagMs()).toBe(0);
});

test('grows while the archive refuses writes, and falls back once a pass drains the outbox', async () => {
  const { archiver, add, advance, fail } = setup(10);
  expect(await archiver.pass()).toBe(0);
  add(2);
  fail(true);
  advance(5_000);
  await expect(archiver.pass()).rejects.toThrow('archive down');
  expect(archiver.lagMs()).toBe(5_000);
  advance(5_000);
  expect(archiver.lagMs()).toBe(10_000);
  fail(false);
  expect(await archiver.pass()).toBe(2);
  expect(archiver.lagMs()).toBe(0);
});

test('a full batch is not a drained outbox: the lag counts from the last pass that read everything', async () => {
  const { archiver, add, advance } = setup(2);
  expect(await archiver.pass()).toBe(0);
  add(5);
  advance(1_000);
  expect(await archiver.pass()).toBe(2);
  expect(archiver.lagMs()).toBe(1_000);
  advance(1_000);
  expect(await archiver.pass()).toBe(2);
  expect(archiver.lagMs()).toBe(2_000);
  expect(await archiver.pass()).toBe(1);
  expect(archiver.lagMs()).toBe(0);
});
