/**
 * A Redis Cluster failover's catch-up (src/realtime/chat-catch-up.ts) sends a
 * chatting connection only the partner's messages after the last one this node
 * sent it, so a failover repeats nothing a client was already handed. The
 * node runs in this process; the catch-up is called as the shard watch would
 * call it once the moved shard is served again.
 */
import type { MatchedEvent, MessageEvent } from '../../src/protocol';
import { catchUpChats } from '../../src/realtime/chat-catch-up';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { startNode, type RunningNode } from '../../testkit/nodes';

const ENV = { MATCH_COOLDOWN_MS: '0', SESSION_SECRET: 'a-chat-catch-up-secret-of-length' };

let node: RunningNode;

beforeAll(async () => {
  node = await startNode(ENV);
});
afterAll(async () => {
  disconnectAll();
  await node.close();
});

async function pair(a: Client, b: Client): Promise<string> {
  const matched = next<MatchedEvent>(a, 'matched');
  await request(a, 'find-match', { interests: ['catch-up'] });
  await request(b, 'find-match', { interests: ['catch-up'] });
  return (await matched).roomId;
}

const catchUp = (since: number) => catchUpChats(node.server.io, node.server.store, since, node.server.logger);

test('only what came after the last message the node sent a connection is sent again', async () => {
  const a = await connect(node.url);
  const b = await connect(node.url);
  const roomId = await pair(a, b);
  const heard = record<MessageEvent>(a, 'message');
  for (const text of ['one', 'two', 'three']) await request(b, 'send-message', { text });
  await request(a, 'send-message', { text: 'mine' });
  await eventually(() => expect(heard.map((m) => m.seq)).toEqual([1, 2, 3]));

  // Everything was handed over: a failover's window repeats none of it (nor a's own message).
  expect(await catchUp(0)).toBe(0);

  // As if the third had been lost on its way through a moving shard.
  const socket = [...node.server.io.of('/').sockets.values()].find((s) => s.data.userId === a.session.userId)!;
  expect(socket.data.delivered).toEqual({ chatId: roomId, seq: 3 });
  socket.data.delivered = { chatId: roomId, seq: 2 };
  expect(await catchUp(Date.now())).toBe(1);
  await eventually(() => expect(heard.map((m) => m.seq)).toEqual([1, 2, 3, 3]));
  expect(heard.at(-1)).toMatchObject({ seq: 3, text: 'three', roomId });
  // b was handed a's message: nothing for b either.
  expect(await catchUp(0)).toBe(0);
});

test('a connection the node sent nothing of its chat gets the failover window’s messages', async () => {
  const a = await connect(node.url);
  const b = await connect(node.url);
  await pair(a, b);
  const heard = record<MessageEvent>(a, 'message');
  await request(b, 'send-message', { text: 'before the trouble' });
  await eventually(() => expect(heard).toHaveLength(1));
  const since = Date.now() + 1;
  await eventually(() => expect(Date.now()).toBeGreaterThan(since));
  await request(b, 'send-message', { text: 'during the trouble' });
  await eventually(() => expect(heard).toHaveLength(2));
  // No mark of this chat (a connection whose deliveries all went astray).
  const socket = [...node.server.io.of('/').sockets.values()].find((s) => s.data.userId === a.session.userId)!;
  delete socket.data.delivered;
  expect(await catchUp(since)).toBe(1);
  await eventually(() => expect(heard.map((m) => m.text)).toEqual(['before the trouble', 'during the trouble', 'during the trouble']));
});
