import {
  attribute,
  attributionTable,
  classify,
  combine,
  OUTSIDE,
  OUTSIDE_MAIN,
  OUTSIDE_THREADS,
  tableRows,
  usPerUserMinute,
  type CallFrame,
  type CpuProfile,
} from '../../bench/lib/attribution';
import { planPinning } from '../../bench/lib/pinning';

const DIST = '/srv/parley/dist';
const NM = '/srv/parley/node_modules';
const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url });

/**
 * Builds a profile from stacks (root first) and the µs each was sampled for,
 * one sample per stack, and a last idle sample (its length is unknown).
 */
function profileOf(given: [CallFrame[], number][]): CpuProfile {
  const stacks: [CallFrame[], number][] = [...given, [[frame('(idle)')], 0]];
  const nodes: CpuProfile['nodes'] = [{ id: 1, callFrame: frame('(root)'), children: [] }];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  const durations: number[] = [];
  for (const [stack, us] of stacks) {
    let parent = nodes[0]!;
    for (const f of stack) {
      const id = nodes.length + 1;
      const node = { id, callFrame: f, children: [] as number[], hitCount: 0 };
      nodes.push(node);
      parent.children!.push(id);
      parent = node;
    }
    parent.hitCount = (parent.hitCount ?? 0) + 1;
    samples.push(parent.id);
    durations.push(us);
  }
  // A sample lasts until the next one: the delta before sample i+1 is sample i's duration.
  timeDeltas.push(0, ...durations.slice(0, -1));
  const total = durations.reduce((a, b) => a + b, 0);
  return { nodes, startTime: 0, endTime: total, samples, timeDeltas };
}

const relay = [frame('onevent', `${NM}/socket.io/dist/socket.js`), frame('dispatch', `${DIST}/realtime/dispatch.js`), frame('sendMessage', `${DIST}/realtime/handlers/chat/send-message.js`), frame('sendCommand', `${NM}/ioredis/built/Redis.js`)];
const walk = [frame('processTimers', 'node:internal/timers'), frame('listOnTimeout', 'node:internal/timers'), frame('rescan', `${DIST}/matchmaking/walk.js`), frame('writev')];
const reply = [frame('onStreamRead', 'node:internal/stream_base_commons'), frame('execute', `${NM}/redis-parser/lib/parser.js`), frame('returnReply', `${NM}/ioredis/built/DataHandler.js`)];
const broadcast = [frame('onmessage', `${NM}/@socket.io/redis-adapter/dist/index.js`), frame('returnReply', `${NM}/ioredis/built/DataHandler.js`), frame('writeToEngine', `${NM}/socket.io/dist/client.js`)];

describe('CPU profile attribution', () => {
  it('gives a stack the first activity rule any of its frames matches', () => {
    expect(classify([...relay].reverse())).toEqual({ activity: 'relay (one-to-one messages)', layer: 'Redis client' });
    expect(classify([...walk].reverse())).toEqual({ activity: 'pairing (searches, walks, their Redis calls)', layer: 'Node and native' });
    // A resume handler that relays what was missed is resume.
    const resumeStack = [frame('resume', `${DIST}/chat/resume.js`), frame('sendMessage', `${DIST}/realtime/handlers/chat/send-message.js`)];
    expect(classify(resumeStack.reverse()).activity).toMatch(/^resume/);
  });

  it('names samples with no parley frame by mechanism, and a package\'s dist/ is not parley', () => {
    expect(classify([...reply].reverse()).activity).toMatch(/^Redis client/);
    expect(classify([...broadcast].reverse()).activity).toMatch(/^adapter: broadcasts arriving through Redis/);
    expect(classify([frame('schedulePing', `${NM}/engine.io/build/socket.js`), frame('listOnTimeout', 'node:internal/timers')].reverse()).activity).toMatch(/^Socket\.IO\/Engine\.IO framing/);
    expect(classify([frame('(garbage collector)')])).toEqual({ activity: 'GC', layer: 'GC' });
    expect(classify([frame('(idle)')]).activity).toBe('(idle)');
    expect(classify([frame('foo', `${NM}/pg-protocol/dist/parser.js`)]).activity).toBe('PostgreSQL client');
    // parley's write coalescing is Redis client time, not parley's.
    expect(classify([frame('uncork', `${DIST}/store/redis/coalesced-writes.js`)])).toEqual({ activity: 'Redis client (replies, writes of a tick)', layer: 'Redis client' });
  });

  it('weights samples by their time, leaves idle out and splits each activity by layer', () => {
    const a = attribute(profileOf([
      [[frame('(idle)')], 5000],
      [relay, 300],
      [walk, 100],
      [[frame('(garbage collector)')], 100],
      [relay.slice(0, 3), 500],
    ]));
    expect(a.durationS).toBeCloseTo(0.006);
    expect(a.busyS).toBeCloseTo(0.001);
    const relayRow = a.rows.find((r) => r.activity.startsWith('relay'))!;
    expect(relayRow.share).toBeCloseTo(0.8);
    expect(relayRow.layers).toEqual({ 'Redis client': 300 / 800, parley: 500 / 800 });
    expect(a.rows[0]!.activity).toBe(relayRow.activity);
    expect(a.layers.GC).toBeCloseTo(0.1);
    expect(a.rows.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1);
  });

  it('falls back to hit counts when the profile has no samples', () => {
    const p = profileOf([[relay, 100], [walk, 100], [walk, 100]]);
    delete p.samples;
    delete p.timeDeltas;
    const a = attribute(p);
    expect(a.rows.find((r) => r.activity.startsWith('pairing'))!.share).toBeCloseTo(2 / 3);
  });

  it('adds the profiles of several nodes together', () => {
    const one = attribute(profileOf([[relay, 300], [walk, 100]]));
    const two = attribute(profileOf([[walk, 400]]));
    const both = combine([one, two]);
    expect(both.busyS).toBeCloseTo(0.0008);
    expect(both.rows.map((r) => [r.activity.split(' ')[0], Number(r.share.toFixed(3))])).toEqual([['pairing', 0.625], ['relay', 0.375]]);
  });

  it('divides the node CPU from /proc, with what the samples missed as a row, into µs per user-minute', () => {
    const a = attribute(profileOf([[relay, 300_000], [walk, 100_000]]));
    const meta = { users: 1000, wallS: 60, cpuS: 0.5 };
    const { rows, totalS } = tableRows(a, meta);
    expect(totalS).toBe(0.5);
    expect(rows.map((r) => [r.activity.split(' ')[0], r.share])).toEqual([['relay', 0.6], ['pairing', 0.2], [OUTSIDE.split(' ')[0], expect.closeTo(0.2)]]);
    // 0.3 s of relay over 1,000 users for one minute: 300 µs per user-minute.
    expect(usPerUserMinute(0.3, meta)).toBeCloseTo(300);
    const table = attributionTable(a, meta);
    expect(table).toContain('| relay (one-to-one messages) | 60.0 % | 300 |');
    expect(table).toContain('| **all** | 100 % | 500 |');
    expect(usPerUserMinute(1, { users: 0, wallS: 60, cpuS: 1 })).toBeNaN();
  });

  it('splits what the samples missed into the main thread\'s and the other threads\' when the main thread\'s CPU is known', () => {
    const a = attribute(profileOf([[relay, 300_000], [walk, 100_000]]));
    const { rows } = tableRows(a, { users: 1000, wallS: 60, cpuS: 0.5, mainCpuS: 0.45 });
    expect(rows.find((r) => r.activity === OUTSIDE_MAIN)!.seconds).toBeCloseTo(0.05);
    expect(rows.find((r) => r.activity === OUTSIDE_THREADS)!.seconds).toBeCloseTo(0.05);
    expect(rows.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1);
  });
});

describe('core pinning plan', () => {
  it('gives the nodes one core of two, shared when there are more nodes', () => {
    expect(planPinning(2, 1)).toEqual({ nodeCores: [0], otherCores: [1] });
    expect(planPinning(2, 2)).toEqual({ nodeCores: [0], otherCores: [1] });
  });

  it('gives the nodes up to half the cores, and pins nothing on one core', () => {
    expect(planPinning(8, 2)).toEqual({ nodeCores: [0, 1], otherCores: [2, 3, 4, 5, 6, 7] });
    expect(planPinning(4, 3)).toEqual({ nodeCores: [0, 1], otherCores: [2, 3] });
    expect(planPinning(1, 1)).toBeUndefined();
  });
});
