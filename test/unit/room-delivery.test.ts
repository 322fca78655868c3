import { CATCH_UP_RETRY_MS, RoomDelivery } from '../../src/rooms/room-delivery';
import type { RoomFeedEvent } from '../../src/store/room-feed';
import type { StoredRoomMessage } from '../../src/store/rooms-store';

const message = (seq: number): StoredRoomMessage => ({ seq, id: `m${seq}`, from: 'u', name: 'Ann', text: `t${seq}`, sentAt: seq });
const feed = (seq: number): RoomFeedEvent => ({ kind: 'message', message: message(seq) });

/** A room whose store holds messages 1..stored, and what the delivery hands over. */
function setup(stored: number, deleted: number[] = []) {
  const delivered: string[] = [];
  const errors: unknown[] = [];
  let last = stored;
  const delivery = new RoomDelivery({
    messagesAfter: async (_code, after, limit) =>
      Array.from({ length: last }, (_, i) => message(i + 1))
        .filter((m) => m.seq > after && !deleted.includes(m.seq))
        .slice(0, limit),
    lastSeq: async () => last,
    deliver: (code, event) => delivered.push(`${code}:${event.kind === 'message' ? event.message.seq : event.kind === 'deleted' ? `d${event.seq}` : event.kind}`),
    onError: (err) => errors.push(err),
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { delivery, delivered, errors, settle, store: (n: number) => (last = n) };
}

test('a message of another epoch (a room put back after a Redis loss) is handed over even below the last seq', async () => {
  const { delivery, delivered, settle, store } = setup(5);
  await delivery.follow('r');
  store(6);
  delivery.receive('r', { kind: 'message', message: { ...message(6), epoch: 'old' } });
  delivery.receive('r', { kind: 'message', message: { ...message(4), epoch: 'new' } });
  delivery.receive('r', { kind: 'message', message: { ...message(4), epoch: 'new' } });
  delivery.receive('r', { kind: 'message', message: { ...message(5), epoch: 'new' } });
  await settle();
  expect(delivered).toEqual(['r:6', 'r:4', 'r:5']);
});

test('hands over the feed in order and drops what it already handed over', async () => {
  const { delivery, delivered, settle, store } = setup(2);
  await delivery.follow('r');
  store(4);
  delivery.receive('r', feed(3));
  delivery.receive('r', feed(3));
  delivery.receive('r', { kind: 'deleted', seq: 2 });
  delivery.receive('r', feed(4));
  await settle();
  expect(delivered).toEqual(['r:3', 'r:d2', 'r:4']);
});

test('a seq that skips ahead is preceded by the missing messages from the store, deleted ones left out', async () => {
  const { delivery, delivered, settle, store } = setup(1, [4]);
  await delivery.follow('r');
  store(6);
  delivery.receive('r', feed(6));
  await settle();
  expect(delivered).toEqual(['r:2', 'r:3', 'r:5', 'r:6']);
});

test('a room whose subscription is confirmed again catches up, even on its last message, and later feed events are not repeated', async () => {
  const { delivery, delivered, settle, store } = setup(0);
  await delivery.follow('a');
  await delivery.follow('b');
  store(3);
  delivery.catchUp('a');
  await settle();
  expect(delivered).toEqual(['a:1', 'a:2', 'a:3']);
  delivery.receive('a', feed(3));
  store(4);
  delivery.receive('a', feed(4));
  await settle();
  expect(delivered).toEqual(['a:1', 'a:2', 'a:3', 'a:4']);
});

test('a change that arrives while the room’s seq is still being read is handed over after it, once', async () => {
  let answer: (seq: number) => void = () => undefined;
  const delivered: number[] = [];
  const delivery = new RoomDelivery({
    messagesAfter: async (_code, after) => [1, 2].filter((s) => s > after).map(message),
    lastSeq: () => new Promise((resolve) => (answer = resolve)),
    deliver: (_code, event) => event.kind === 'message' && delivered.push(event.message.seq),
    onError: () => undefined,
  });
  const following = delivery.follow('r');
  const again = delivery.follow('r');
  // Published after the subscription, read before the seq: 1 is already counted, 2 is not.
  delivery.receive('r', feed(1));
  delivery.receive('r', feed(2));
  answer(1);
  await Promise.all([following, again]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(delivered).toEqual([2]);
});

test('a room no longer followed gets nothing', async () => {
  const { delivery, delivered, settle } = setup(0);
  await delivery.follow('r');
  delivery.unfollow('r');
  delivery.receive('r', feed(1));
  delivery.catchUp('r');
  await settle();
  expect(delivered).toEqual([]);
});

test('a store that fails while filling is reported, and the next event fills again', async () => {
  const delivered: number[] = [];
  const errors: unknown[] = [];
  let fail = true;
  const delivery = new RoomDelivery({
    messagesAfter: async (_code, after) => {
      if (fail) throw new Error('store down');
      return [2, 3].filter((s) => s > after).map(message);
    },
    lastSeq: async () => 1,
    deliver: (_code, event) => event.kind === 'message' && delivered.push(event.message.seq),
    onError: (err) => errors.push(err),
  });
  await delivery.follow('r');
  delivery.receive('r', feed(3));
  await new Promise((resolve) => setImmediate(resolve));
  expect(errors).toHaveLength(1);
  fail = false;
  delivery.receive('r', feed(4));
  await new Promise((resolve) => setImmediate(resolve));
  expect(delivered).toEqual([2, 3, 4]);
});

test('a catch-up the store fails is tried again until it succeeds', async () => {
  jest.useFakeTimers();
  try {
    const delivered: number[] = [];
    const errors: unknown[] = [];
    let failures = 2;
    const delivery = new RoomDelivery({
      messagesAfter: async (_code, after) => {
        if (failures-- > 0) throw new Error('store recovering');
        return [1, 2].filter((s) => s > after).map(message);
      },
      lastSeq: async () => 0,
      deliver: (_code, event) => event.kind === 'message' && delivered.push(event.message.seq),
      onError: (err) => errors.push(err),
    });
    await delivery.follow('r');
    delivery.catchUp('r');
    await jest.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(CATCH_UP_RETRY_MS);
    expect(errors).toHaveLength(2);
    expect(delivered).toEqual([]);
    await jest.advanceTimersByTimeAsync(CATCH_UP_RETRY_MS * 2);
    expect(errors).toHaveLength(2);
    expect(delivered).toEqual([1, 2]);
  } finally {
    jest.useRealTimers();
  }
});
