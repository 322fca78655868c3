/** The queue of unacknowledged sends: a clientId chosen once, kept across retries, in order. */
import { ParleyError } from '../../packages/client/src/errors';
import { newClientId, SendQueue, type AckedEmit } from '../../packages/client/src/send-queue';
import type { Ack } from '../../src/protocol';

interface Sent {
  event: string;
  payload: { clientId: string; text?: string };
  answer(ack: Ack<{ message?: { seq: number } }>): void;
  fail(): void;
}

function fakeTransport() {
  const sent: Sent[] = [];
  let connected = true;
  const emit: AckedEmit = (event, payload) =>
    new Promise((resolve, reject) => sent.push({ event, payload: payload as Sent['payload'], answer: resolve as Sent['answer'], fail: () => reject(new Error('lost')) }));
  return {
    sent,
    emit,
    connected: () => connected,
    set online(value: boolean) {
      connected = value;
    },
  };
}

const flushPromises = () => new Promise((resolve) => setImmediate(resolve));

test('a send gets a clientId of the allowed alphabet and resolves with its acknowledgement', async () => {
  const t = fakeTransport();
  const queue = new SendQueue({ emit: t.emit, connected: t.connected });
  const done = queue.enqueue('send-message', { text: 'hi' });
  expect(t.sent).toHaveLength(1);
  expect(t.sent[0]!.payload.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  t.sent[0]!.answer({ ok: true, message: { seq: 1 } });
  await expect(done).resolves.toEqual({ ok: true, message: { seq: 1 } });
  expect(queue.size).toBe(0);
});

test('a send whose acknowledgement was lost is retried with the same clientId once connected again', async () => {
  const t = fakeTransport();
  const queue = new SendQueue({ emit: t.emit, connected: t.connected });
  const done = queue.enqueue('room-message', { code: 'lobby', text: 'x' });
  t.online = false;
  t.sent[0]!.fail();
  await flushPromises();
  expect(t.sent).toHaveLength(1); // offline: nothing is sent
  t.online = true;
  queue.flush();
  expect(t.sent).toHaveLength(2);
  expect(t.sent[1]!.payload.clientId).toBe(t.sent[0]!.payload.clientId);
  t.sent[1]!.answer({ ok: true, message: { seq: 4 } });
  await expect(done).resolves.toMatchObject({ message: { seq: 4 } });
});

test('a timeout while connected retries at once with the same clientId', async () => {
  const t = fakeTransport();
  const queue = new SendQueue({ emit: t.emit, connected: t.connected });
  void queue.enqueue('dm-send', { contactId: 'c', text: 'x', clientId: 'mine-1' });
  t.sent[0]!.fail();
  await flushPromises();
  expect(t.sent.map((s) => s.payload.clientId)).toEqual(['mine-1', 'mine-1']);
});

test('waiting sends go out again in the order they were made', async () => {
  const t = fakeTransport();
  const queue = new SendQueue({ emit: t.emit, connected: t.connected });
  for (const text of ['a', 'b', 'c']) void queue.enqueue('send-message', { text });
  t.online = false;
  for (const s of t.sent) s.fail();
  await flushPromises();
  t.online = true;
  queue.flush();
  expect(t.sent.slice(3).map((s) => s.payload.text)).toEqual(['a', 'b', 'c']);
  expect(t.sent.slice(3).map((s) => s.payload.clientId)).toEqual(t.sent.slice(0, 3).map((s) => s.payload.clientId));
});

test('a refusal rejects with a ParleyError of its code; UNAVAILABLE is tried again later', async () => {
  const t = fakeTransport();
  const queue = new SendQueue({ emit: t.emit, connected: t.connected, retryDelayMs: 10 });
  const refused = queue.enqueue('send-message', { text: 'x' });
  t.sent[0]!.answer({ ok: false, error: { code: 'MESSAGE_TOO_LONG', message: 'too long' } });
  await expect(refused).rejects.toMatchObject({ name: 'ParleyError', code: 'MESSAGE_TOO_LONG', message: 'too long' });

  const later = queue.enqueue('send-message', { text: 'y' });
  t.sent[1]!.answer({ ok: false, error: { code: 'UNAVAILABLE', message: 'busy' } });
  const deadline = Date.now() + 5000;
  while (t.sent.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(t.sent[2]!.payload.clientId).toBe(t.sent[1]!.payload.clientId);
  t.sent[2]!.answer({ ok: true, message: { seq: 2 } });
  await expect(later).resolves.toMatchObject({ ok: true });
});

test('rejectAll fails every queued send and later ones until reopened', async () => {
  const t = fakeTransport();
  t.online = false;
  const queue = new SendQueue({ emit: t.emit, connected: t.connected });
  const a = queue.enqueue('send-message', { text: 'a' });
  queue.rejectAll(new ParleyError('CLOSED', 'closed'));
  await expect(a).rejects.toMatchObject({ code: 'CLOSED' });
  expect(queue.size).toBe(0);
  // A stopped queue refuses new sends at once, until it is reopened.
  await expect(queue.enqueue('send-message', { text: 'b' })).rejects.toMatchObject({ code: 'CLOSED' });
  queue.reopen();
  t.online = true;
  void queue.enqueue('send-message', { text: 'c' });
  expect(t.sent.map((s) => s.payload.text)).toEqual(['c']);
});

test('client ids do not repeat', () => {
  const ids = new Set(Array.from({ length: 1000 }, () => newClientId()));
  expect(ids.size).toBe(1000);
});
