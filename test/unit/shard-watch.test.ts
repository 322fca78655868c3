import { EventEmitter } from 'node:events';
import type { Cluster } from 'ioredis';
import { watchShards } from '../../src/store/redis/shard-watch';

/** Just enough of an ioredis Cluster: its masters, its events, its refresh. */
class FakeCluster extends EventEmitter {
  masters: string[] = ['a:1', 'b:1', 'c:1'];
  refreshes = 0;
  nodes() {
    return this.masters.map((m) => ({ options: { host: m.split(':')[0], port: Number(m.split(':')[1]) } }));
  }
  refreshSlotsCache() {
    this.refreshes++;
  }
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

function setup() {
  const main = new FakeCluster();
  const sub = new FakeCluster();
  let t = 1_000_000;
  const moved: number[] = [];
  const watch = watchShards([main, sub] as unknown as Cluster[], (since) => moved.push(since), () => t);
  return { main, sub, moved, watch, advance: (ms: number) => (t += ms) };
}

test('a master change reported by one client refreshes the others and runs the catch-up twice, from before the first error', () => {
  const { main, sub, moved, advance } = setup();
  main.emit('refresh');
  expect(moved).toEqual([]);
  main.emit('node error', new Error('Connection is closed.'), 'b:1');
  expect(main.refreshes).toBe(1);
  advance(3000);
  main.masters = ['a:1', 'c:1', 'd:1'];
  main.emit('refresh');
  expect(sub.refreshes).toBe(1);
  jest.advanceTimersByTime(3000);
  expect(moved).toEqual([1_000_000 - 5000, 1_000_000 - 5000]);
});

test('periodic refreshes with the same masters change nothing', () => {
  const { main, moved } = setup();
  for (let i = 0; i < 5; i++) main.emit('refresh');
  jest.advanceTimersByTime(5000);
  expect(moved).toEqual([]);
});

test('node errors ask for a new slot map at most every 250 ms', () => {
  const { main, advance } = setup();
  for (let i = 0; i < 10; i++) main.emit('node error', new Error('x'), 'b:1');
  expect(main.refreshes).toBe(1);
  advance(300);
  main.emit('node error', new Error('x'), 'b:1');
  expect(main.refreshes).toBe(2);
});

test('close cancels a pending catch-up', () => {
  const { main, moved, watch } = setup();
  main.emit('refresh');
  main.masters = ['x:1'];
  main.emit('refresh');
  watch.close();
  jest.advanceTimersByTime(5000);
  expect(moved).toEqual([]);
});

test('trouble that moved no master is forgotten after a while: a later move catches up from its own window only', () => {
  const { main, moved, advance } = setup();
  main.emit('refresh');
  main.emit('-node', null, 'b:1');
  advance(31_000);
  main.emit('refresh');
  advance(60_000);
  main.masters = ['a:1', 'c:1', 'd:1'];
  main.emit('refresh');
  jest.advanceTimersByTime(3000);
  expect(moved).toEqual([1_091_000 - 30_000, 1_091_000 - 30_000]);
});
