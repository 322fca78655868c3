/** The per-stream delivery rules: in seq order, each seq once, holes reported, epochs reset. */
import { StreamLog } from '../../packages/client/src/stream-log';

const m = (seq: number) => ({ seq, text: `m${seq}` });
const seqs = (messages: { seq: number }[]) => messages.map((x) => x.seq);

test('messages in order are delivered as they come', () => {
  const log = new StreamLog<{ seq: number }>();
  expect(seqs(log.live(m(1), 'e1').deliver)).toEqual([1]);
  expect(seqs(log.live(m(2), 'e1').deliver)).toEqual([2]);
  expect(log.lastSeq).toBe(2);
  expect(log.epoch).toBe('e1');
});

test('a seq already delivered or already held is dropped', () => {
  const log = new StreamLog<{ seq: number }>();
  log.live(m(1), 'e1');
  expect(log.live(m(1), 'e1')).toEqual({ deliver: [], hole: false });
  log.live(m(3), 'e1');
  expect(log.live(m(3), 'e1')).toEqual({ deliver: [], hole: true });
});

test('a jump is held and reported as a hole; the missing seq releases everything after it in order', () => {
  const log = new StreamLog<{ seq: number }>();
  log.live(m(1), 'e1');
  expect(log.live(m(4), 'e1')).toEqual({ deliver: [], hole: true });
  expect(log.live(m(3), 'e1')).toEqual({ deliver: [], hole: true });
  expect(log.hasHole).toBe(true);
  expect(seqs(log.live(m(2), 'e1').deliver)).toEqual([2, 3, 4]);
  expect(log.hasHole).toBe(false);
});

test('a recovered batch fills a hole and drops what was delivered meanwhile', () => {
  const log = new StreamLog<{ seq: number }>();
  log.live(m(1), 'e1');
  log.live(m(5), 'e1');
  const step = log.recovered('e1', [m(1), m(2), m(3), m(4), m(5)], 1);
  expect(seqs(step.deliver)).toEqual([2, 3, 4, 5]);
  expect(step.hole).toBe(false);
  expect(log.recovered('e1', [m(4), m(5)], 3).deliver).toEqual([]);
});

test('a recovered batch that starts beyond what was asked skips the part that is gone', () => {
  const log = new StreamLog<{ seq: number }>(2, 'e1');
  expect(seqs(log.recovered('e1', [m(40), m(41)], 2).deliver)).toEqual([40, 41]);
  expect(log.lastSeq).toBe(41);
});

test('a live message starting past the next seq is not taken as a gap', () => {
  const log = new StreamLog<{ seq: number }>(2, 'e1');
  expect(log.live(m(40), 'e1')).toEqual({ deliver: [], hole: true });
  // An empty answer says nothing about the hole: it stays.
  expect(log.recovered('e1', [], 2)).toEqual({ deliver: [], hole: true });
});

test('another epoch resets the stream and counting starts from what the server gives', () => {
  const log = new StreamLog<{ seq: number }>();
  log.live(m(1), 'e1');
  log.live(m(2), 'e1');
  const live = log.live(m(1), 'e2');
  expect(live.reset).toBe('e2');
  expect(seqs(live.deliver)).toEqual([1]);
  const again = new StreamLog<{ seq: number }>(7, 'e1');
  const step = again.recovered('e2', [m(3), m(4)], 7);
  expect(step.reset).toBe('e2');
  expect(seqs(step.deliver)).toEqual([3, 4]);
});

test('an own send placed before the epoch is known waits for it, and the first epoch named is taken without a reset', () => {
  const log = new StreamLog<{ seq: number }>();
  expect(log.live(m(1))).toEqual({ deliver: [], hole: true });
  const step = log.recovered('e1', [m(1), m(2)], 0);
  expect(step.reset).toBeUndefined();
  expect(seqs(step.deliver)).toEqual([1, 2]);
  expect(log.epoch).toBe('e1');
});

test('giving up on a hole delivers what is held, in order, past each gap', () => {
  const log = new StreamLog<{ seq: number }>();
  log.live(m(1), 'e1');
  log.live(m(6), 'e1');
  log.live(m(3), 'e1');
  log.live(m(4), 'e1');
  expect(seqs(log.skipHole().deliver)).toEqual([3, 4, 6]);
  expect(log.hasHole).toBe(false);
  expect(log.lastSeq).toBe(6);
});

test('shuffled arrivals with duplicates come out as 1..n exactly once', () => {
  const log = new StreamLog<{ seq: number }>();
  const order = [5, 2, 2, 9, 1, 3, 7, 4, 8, 6, 10, 3, 1];
  const delivered = order.flatMap((seq) => seqs(log.live(m(seq), 'e').deliver));
  expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});
