/** This node's pins and reactions delivery: a pin ends by its own timer at its `until`; each reacting member gets its own `mine`. */
import pino from 'pino';
import { createRoomMarks } from '../../src/realtime/room-marks';
import type { ParleyIo } from '../../src/realtime/types';
import type { PinRecord } from '../../src/store/rooms-store';

type Sent = { to: string[]; except: string[]; event: string; payload: unknown };

function fakeIo(channels: Record<string, string[]>) {
  const sent: Sent[] = [];
  const target = (to: string[], except: string[] = []) => ({
    except: (more: string[]) => target(to, [...except, ...more]),
    emit: (event: string, payload: unknown) => sent.push({ to, except, event, payload }),
  });
  const rooms = new Map(Object.entries(channels).map(([name, sids]) => [name, new Set(sids)]));
  const io = { local: { to: (to: string | string[]) => target(Array.isArray(to) ? to : [to]) }, of: () => ({ adapter: { rooms } }) };
  return { io: io as unknown as ParleyIo, sent };
}

const pin = (seq: number, until: number | null): PinRecord => ({ seq, until, pinnedAt: seq, by: 'Host', name: 'Ann', text: `t${seq}` });
const logger = pino({ level: 'silent' });

beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

test('a pin read at follow or announced later ends by itself at its until: members get the pins left, once', async () => {
  const { io, sent } = fakeIo({});
  const clock = { now: () => Date.now() };
  const marks = createRoomMarks(io, { pins: async () => [pin(1, 1_000_500), pin(2, null)] }, clock, logger);
  marks.follow('r');
  for (let i = 0; i < 5; i++) await Promise.resolve();
  jest.advanceTimersByTime(499);
  expect(sent).toEqual([]);
  jest.advanceTimersByTime(1);
  expect(sent).toEqual([{ to: ['room:r'], except: [], event: 'room-pins', payload: { code: 'r', pins: [pin(2, null)] } }]);
  marks.pins('r', [pin(2, null), pin(3, 1_002_000)]);
  expect(sent).toHaveLength(2);
  jest.advanceTimersByTime(1500);
  expect(sent.at(-1)!.payload).toEqual({ code: 'r', pins: [pin(2, null)] });
  jest.advanceTimersByTime(60_000);
  expect(sent).toHaveLength(3);
  // A room no longer followed is not timed any more.
  marks.pins('r', [pin(4, 1_070_000)]);
  marks.unfollow('r');
  jest.advanceTimersByTime(60_000);
  expect(sent).toHaveLength(4);
});

test('reactions: one broadcast without the reacting members, and each of them here its own mine', () => {
  const { io, sent } = fakeIo({ 'room:r': ['s-a', 's-b', 's-c'], 'user:b': ['s-b', 's-b-elsewhere'], 'user:x': ['s-x'] });
  const marks = createRoomMarks(io, { pins: async () => [] }, { now: () => 0 }, logger);
  marks.reactions('r', 7, [['👍', ['b', 'x']], ['🎉', ['x']]]);
  expect(sent).toEqual([
    {
      to: ['room:r'],
      except: ['user:b', 'user:x'],
      event: 'room-reactions',
      payload: { code: 'r', seq: 7, reactions: [{ emoji: '👍', count: 2, mine: false }, { emoji: '🎉', count: 1, mine: false }] },
    },
    // x has no socket in the room on this node (it left, or is elsewhere); b's socket outside the room gets nothing.
    {
      to: ['s-b'],
      except: [],
      event: 'room-reactions',
      payload: { code: 'r', seq: 7, reactions: [{ emoji: '👍', count: 2, mine: true }, { emoji: '🎉', count: 1, mine: false }] },
    },
  ]);
});
