/**
 * Transports killed again and again mid-stream, with sends in flight on both
 * sides (two real nodes on one Redis): afterwards every acknowledged send is
 * stored once, and each side received the whole stream, its own messages
 * included, exactly once and in seq order, the same order on both sides.
 */
import type { ParleyClient } from '@parley/client';
import { eventually } from '../../testkit/eventually';
import { nextEvent, pair, recordEvents, useSdkCluster } from './sdk-fixture';

const fixture = useSdkCluster(
  { RESUME_GRACE_MS: '20000', MESSAGE_RATE_LIMIT: '100000', ROOM_MESSAGE_RATE_LIMIT: '100000', DM_RATE_LIMIT: '100000' },
  { postgres: true },
);

/** Messages each side sends, and transport kills each side suffers while they are in flight. */
const PER_SIDE = 40;
const KILLS = 10;

interface Delivered {
  seq: number;
  id: string;
  text: string;
  mine: boolean;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Closes the connected transport the way a network drop does. (Closing an
 * engine that is still opening is not a network drop: socket.io-client then
 * waits for its connect timeout.)
 */
function dropTransport(client: ParleyClient): void {
  if (client.connected) client.socket.io.engine.close();
}

/** Drops the client's transport `kills` times, each once it is connected again, at random moments. */
async function killRepeatedly(client: ParleyClient, kills: number): Promise<void> {
  const life: string[] = [];
  client.on('connect_error', (error) => life.push(`connect_error ${error.code}`));
  client.on('disconnect', ({ reason }) => life.push(`disconnect ${reason}`));
  client.on('closed', ({ error }) => life.push(`closed ${error?.code}`));
  client.on('error', ({ code }) => life.push(`error ${code}`));
  client.on('reconnecting', ({ attempt }) => life.push(`reconnecting ${attempt}`));
  client.on('connect', () => life.push('connect'));
  client.on('session', () => life.push('session'));
  for (let i = 0; i < kills; i++) {
    await eventually(() => client.connected, { timeoutMs: 20_000, what: `reconnected (${life.slice(-8).join(', ')})` });
    await pause(20 + Math.random() * 120);
    dropTransport(client);
  }
}

/**
 * Sends `PER_SIDE` messages, one every few ms, without waiting for
 * acknowledgements; every fourth one is followed at once by a transport kill
 * (the engine flushes the send first: it is stored and its acknowledgement lost).
 */
async function sendMany(client: ParleyClient, send: (text: string) => Promise<{ seq: number; id: string }>, prefix: string) {
  const acks: Promise<{ seq: number; id: string; text: string }>[] = [];
  for (let i = 0; i < PER_SIDE; i++) {
    const text = `${prefix}${i}`;
    acks.push(send(text).then((ack) => ({ ...ack, text })));
    if (i % 4 === 0) dropTransport(client);
    await pause(10);
  }
  return Promise.all(acks);
}

/** Runs the storm and checks exactly-once, in-order delivery on both sides. */
async function storm(
  a: ParleyClient,
  b: ParleyClient,
  seenA: Delivered[],
  seenB: Delivered[],
  sendA: (text: string) => Promise<{ seq: number; id: string }>,
  sendB: (text: string) => Promise<{ seq: number; id: string }>,
): Promise<void> {
  const base = Math.max(0, ...seenA.map((m) => m.seq));
  const [acksA, acksB] = await Promise.all([sendMany(a, sendA, 'a'), sendMany(b, sendB, 'b'), killRepeatedly(a, KILLS), killRepeatedly(b, KILLS)]);
  const total = 2 * PER_SIDE;
  const expectedSeqs = Array.from({ length: total }, (_, i) => base + i + 1);
  // Every send was stored once: the acknowledged seqs are exactly the new part of the stream.
  expect([...acksA!, ...acksB!].map((ack) => ack.seq).sort((x, y) => x - y)).toEqual(expectedSeqs);
  await eventually(() => expect([seenA.length, seenB.length]).toEqual([total, total]), { timeoutMs: 30_000 });
  for (const [seen, mine] of [[seenA, acksA!], [seenB, acksB!]] as const) {
    expect(seen.map((m) => m.seq)).toEqual(expectedSeqs);
    const own = seen.filter((m) => m.mine);
    expect(own.map((m) => m.text).sort()).toEqual(mine.map((ack) => ack.text).sort());
    for (const ack of mine) expect(seen.find((m) => m.seq === ack.seq)).toMatchObject({ id: ack.id, text: ack.text, mine: true });
  }
  // One order for both sides: the same message at every seq.
  expect(seenB.map((m) => [m.seq, m.id, m.text])).toEqual(seenA.map((m) => [m.seq, m.id, m.text]));
  expect(a.pendingSends + b.pendingSends).toBe(0);
}

test('the chat keeps every message exactly once and in order through repeated transport kills', async () => {
  const a = fixture.client(0);
  const b = fixture.client(1);
  await Promise.all([a.ready(), b.ready()]);
  await pair(a, b);
  const [seenA, seenB] = [recordEvents(a, 'message'), recordEvents(b, 'message')];
  await storm(a, b, seenA, seenB, (t) => a.send(t), (t) => b.send(t));
}, 120_000);

test('a room keeps every message exactly once and in order through repeated transport kills', async () => {
  const a = fixture.client(0);
  const b = fixture.client(1);
  await Promise.all([a.ready(), b.ready()]);
  const { room } = await a.createRoom({ title: 'Storm', visibility: 'private' });
  await a.joinRoom(room.code, { name: 'Ada' });
  await b.joinRoom(room.code, { name: 'Bo' });
  const [seenA, seenB] = [recordEvents(a, 'room-message'), recordEvents(b, 'room-message')];
  await storm(a, b, seenA, seenB, (t) => a.sendRoom(room.code, t), (t) => b.sendRoom(room.code, t));
}, 120_000);

test('a DM conversation keeps every message exactly once and in order through repeated transport kills', async () => {
  const a = fixture.client(0);
  const b = fixture.client(1);
  await Promise.all([a.ready(), b.ready()]);
  await pair(a, b);
  const added = Promise.all([nextEvent(a, 'contact-added'), nextEvent(b, 'contact-added')]);
  await a.keepInTouch();
  await b.keepInTouch();
  const [forA, forB] = await added;
  await a.leave();
  const [seenA, seenB] = [recordEvents(a, 'dm'), recordEvents(b, 'dm')];
  await storm(a, b, seenA, seenB, (t) => a.sendDm(forA.contact.contactId, t), (t) => b.sendDm(forB.contact.contactId, t));
}, 120_000);
