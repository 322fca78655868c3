/** One node without Redis: the in-memory default does everything on its own. */
import type { MatchedEvent, MessageEvent, OnlineCountEvent } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, quietFor, record, request } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';

let node: RunningNode;

beforeAll(async () => {
  // Every typing change relayed as it comes (coalescing has tests of its own: event-budgets.test.ts).
  node = await startNode({ NODE_ID: 'solo', TYPING_TIMEOUT_MS: '300', TYPING_COALESCE_MS: '0', MATCH_COOLDOWN_MS: '0', RESUME_GRACE_MS: '0' });
});
afterEach(() => disconnectAll());
afterAll(() => node.close());

async function pair() {
  const a = await connect(node.url);
  const b = await connect(node.url);
  const matched = next<MatchedEvent>(b, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  return [a, b] as const;
}

test('/health reports the memory store and this node', async () => {
  const res = await fetch(`${node.url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', nodeId: 'solo', store: 'memory', uptimeS: expect.any(Number) });
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
});

test('strangers are paired and chat in memory; replies carry replyTo', async () => {
  const [a, b] = await pair();
  const got = next<MessageEvent>(b, 'message');
  const sent = await request<{ message: { id: string } }>(a, 'send-message', { text: 'hello' });
  const message = await got;
  expect(message.text).toBe('hello');
  const reply = next<MessageEvent>(a, 'message');
  await request(b, 'send-message', { text: 'hi!', replyTo: message.id });
  expect(await reply).toMatchObject({ text: 'hi!', replyTo: sent.ok ? sent.message.id : 'none' });
});

test('the sender gets an ack, not an echo', async () => {
  const [a] = await pair();
  const echoes = record(a, 'message');
  await request(a, 'send-message', { text: 'once' });
  await quietFor(100);
  expect(echoes).toHaveLength(0);
});

test('typing reaches the partner and clears itself, or with the next message', async () => {
  const [a, b] = await pair();
  const typing = record<{ isTyping: boolean }>(b, 'partner-typing');
  await request(a, 'typing', { isTyping: true });
  await eventually(() => expect(typing).toEqual([{ isTyping: true }]));
  await eventually(() => expect(typing).toEqual([{ isTyping: true }, { isTyping: false }]));
  await request(a, 'typing', { isTyping: true });
  await request(a, 'send-message', { text: 'done typing' });
  await eventually(() => expect(typing.slice(2)).toEqual([{ isTyping: true }, { isTyping: false }]));
});

test('cancel-match acks and confirms with match-cancelled', async () => {
  const a = await connect(node.url);
  await request(a, 'find-match', { interests: ['rare'] });
  const cancelled = next(a, 'match-cancelled');
  expect(await request(a, 'cancel-match', {})).toEqual({ ok: true });
  expect(await cancelled).toEqual({});
});

test('next-match skips the partner, who is told "skipped"', async () => {
  const [a, b] = await pair();
  const left = next<{ roomId: string; reason: string }>(b, 'partner-disconnected');
  expect(await request(a, 'next-match', {})).toEqual({ ok: true, state: 'waiting' });
  expect((await left).reason).toBe('skipped');
});

test('online-count and /stats count connected, waiting, chatting and away users', async () => {
  const watcher = await connect(node.url);
  const counts = record<OnlineCountEvent>(watcher, 'online-count');
  await pair();
  const w = await connect(node.url);
  await request(w, 'find-match', { interests: ['lonely'] });
  await eventually(() => expect(counts.at(-1)).toEqual({ online: 4, waiting: 1, waitingVideo: 0, chatting: 2, away: 0 }));
  const stats = await (await fetch(`${node.url}/stats`)).json();
  expect(stats).toEqual({ online: 4, waiting: 1, waitingVideo: 0, chatting: 2, away: 0, nodes: [{ nodeId: 'solo', connections: 4 }], waitingByLanguage: { any: 1, other: 0 }, waitingByMode: { text: 1, video: 0 } });
});

test('browsers from another origin are refused unless allowlisted', async () => {
  const res = await fetch(`${node.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } });
  expect(res.status).toBe(403);
  const same = await fetch(`${node.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: node.url } });
  expect(same.status).toBe(200);
});
