/** A user's own figures: reads after the asking moment, shared between everyone who asked meanwhile. */
import pino from 'pino';
import type { OnlineCountEvent } from '../../src/protocol';
import { OnlineCounter, withConnection } from '../../src/realtime/online-count';
import type { ParleyIo } from '../../src/realtime/types';
import { GREETING_CHANNEL } from '../../src/realtime/channels';
import type { OneToOneStore } from '../../src/store/one-to-one-store';
import { eventually } from '../../testkit/eventually';

function setup(ownFiguresGapMs = 0, now: () => number = () => 0) {
  const reads: ((figures: OnlineCountEvent) => void)[] = [];
  const store = {
    counts: () => new Promise<OnlineCountEvent>((resolve) => reads.push(resolve)),
  } as unknown as OneToOneStore;
  const emitted: { rooms: string[]; figures: OnlineCountEvent }[] = [];
  const excepted: string[] = [];
  // A connection still in its greeting is left out of every push (its greeting's own online-count closes it).
  const io = {
    to: (rooms: string[]) => ({
      except: (channel: string) => {
        excepted.push(channel);
        return { emit: (_event: string, figures: OnlineCountEvent) => emitted.push({ rooms, figures }) };
      },
    }),
  } as unknown as ParleyIo;
  const counter = new OnlineCounter(io, store, { now }, pino({ level: 'silent' }), { nodeId: 'n', intervalMs: 60_000, nodeTtlMs: 180_000, ownFiguresGapMs });
  const figures = (online: number): OnlineCountEvent => ({ online, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { counter, reads, emitted, excepted, figures, settle };
}

test('a caller arriving during a read waits for the next one, which serves every such caller at once', async () => {
  const { counter, reads, figures, settle } = setup();
  const first = counter.fresh();
  const second = counter.fresh();
  const third = counter.fresh();
  expect(reads).toHaveLength(1);
  reads[0]!(figures(1));
  expect(await first).toEqual(figures(1));
  await settle();
  expect(reads).toHaveLength(2);
  reads[1]!(figures(2));
  expect(await second).toEqual(figures(2));
  expect(await third).toEqual(figures(2));
  expect(counter.current()).toEqual(figures(2));
  expect(reads).toHaveLength(2);
});

test('users whose state changed get figures read after the change, in one emit per read', async () => {
  const { counter, reads, emitted, excepted, figures, settle } = setup();
  counter.touch(['a', 'b']);
  counter.touch(['c']);
  await settle();
  expect(reads).toHaveLength(1);
  // Touched while that read is under way: served by the next read, not this one.
  counter.touch(['d']);
  reads[0]!(figures(3));
  await settle();
  expect(emitted).toEqual([{ rooms: ['user:a', 'user:b', 'user:c'], figures: figures(3) }]);
  expect(excepted).toEqual([GREETING_CHANNEL]);
  expect(reads).toHaveLength(2);
  reads[1]!(figures(4));
  await settle();
  expect(emitted.at(-1)).toEqual({ rooms: ['user:d'], figures: figures(4) });
});

test('reads for users\' own figures are at least the gap apart: changes meanwhile share the next read and its emit', async () => {
  const gap = 200;
  const { counter, reads, emitted, figures, settle } = setup(gap, () => Date.now());
  counter.touch(['a']);
  await settle();
  expect(reads).toHaveLength(1);
  const firstAt = Date.now();
  reads[0]!(figures(1));
  await settle();
  expect(emitted).toEqual([{ rooms: ['user:a'], figures: figures(1) }]);
  // Three changes right after the read: none starts a read before the gap is over, then one read serves them all.
  counter.touch(['b']);
  counter.touch(['c', 'd']);
  await settle();
  counter.touch(['e']);
  await settle();
  expect(reads).toHaveLength(1);
  await eventually(() => reads.length === 2, { what: 'the second read', timeoutMs: 10_000 });
  expect(Date.now() - firstAt).toBeGreaterThanOrEqual(gap - 5);
  reads[1]!(figures(2));
  await eventually(() => emitted.length === 2, { what: 'the second emit', timeoutMs: 10_000 });
  expect(emitted[1]).toEqual({ rooms: ['user:b', 'user:c', 'user:d', 'user:e'], figures: figures(2) });
  expect(reads).toHaveLength(2);
});

test('figures read before a connection is attached count it as the attach will', () => {
  const figures = { online: 3, waiting: 1, waitingVideo: 0, chatting: 2, away: 1 };
  // A first visit (no live connection): one more online.
  expect(withConnection(figures, { state: 'idle' })).toEqual({ online: 4, waiting: 1, waitingVideo: 0, chatting: 2, away: 1 });
  // A reload while another connection is live: already counted.
  expect(withConnection(figures, { state: 'idle', sid: 'old' })).toEqual(figures);
  expect(withConnection(figures, { state: 'chatting', sid: 'old' })).toEqual(figures);
  // Back to a chat that waited in the grace: online and chatting again, no longer away.
  expect(withConnection(figures, { state: 'chatting' })).toEqual({ online: 4, waiting: 1, waitingVideo: 0, chatting: 3, away: 0 });
});

test('a node with more clients than its frame budget covers spaces its figure pushes out (PRESENCE_FRAMES_PER_SECOND), each in slices', async () => {
  let now = 0;
  let online = 0;
  const slices: { at: number; clients: number; excepted: string }[] = [];
  const store = {
    counts: async () => ({ online, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 }),
    reportNode: async () => true,
    nodes: async () => [],
  } as unknown as OneToOneStore;
  // 3,000 clients at 1,000 frames a second: a push every 3 s at most, whatever the interval.
  const sockets = new Map(Array.from({ length: 3000 }, (_, i) => [`s${i}`, {}]));
  const io = {
    of: () => ({ sockets }),
    local: {
      to: (ids: string[]) => ({ except: (channel: string) => ({ emit: () => slices.push({ at: now, clients: ids.length, excepted: channel }) }) }),
    },
  } as unknown as ParleyIo;
  const counter = new OnlineCounter(io, store, { now: () => now }, pino({ level: 'silent' }), {
    nodeId: 'n',
    intervalMs: 1000,
    framesPerSecond: 1000,
    nodeTtlMs: 3000,
  });
  const tick = (counter as unknown as { tick(): Promise<void> }).tick.bind(counter);
  const settle = async () => {
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  for (now = 0; now <= 9000; now += 1000) {
    online++; // the figures change every tick
    await tick();
    await settle();
  }
  // Every push reaches all 3,000 clients, 500 per turn of the event loop, greeting sockets left out.
  const pushes = new Map<number, number[]>();
  for (const s of slices) pushes.set(s.at, [...(pushes.get(s.at) ?? []), s.clients]);
  expect([...pushes.keys()]).toEqual([0, 3000, 6000, 9000]);
  for (const sizes of pushes.values()) expect(sizes).toEqual([500, 500, 500, 500, 500, 500]);
  expect(new Set(slices.map((s) => s.excepted))).toEqual(new Set([GREETING_CHANNEL]));
  // The figures a new connection gets are the latest read, not the last pushed.
  expect(counter.current().online).toBe(10);
});
