/**
 * The greeting of a resuming connection is `session`, `resumed`, then
 * `online-count`, which closes it: a figure push to everyone (or to the user
 * after its own state changed) that comes while the chat's log is still being
 * read after the connect must not reach that connection before `resumed`, or
 * a client that reads `online-count` as "no resume came" ends a chat that is
 * about to resume (and keeps its replay twice). The node runs in this process
 * so the test can hold the log read after the connect.
 */
import { connect, disconnectAll, next, request } from '../helpers/clients';
import { eventually } from '../../testkit/eventually';
import { holdNextCall } from '../../testkit/hold';
import { startNode, type RunningNode } from '../../testkit/nodes';

const ENV = { RESUME_GRACE_MS: '10000', MATCH_COOLDOWN_MS: '0', SESSION_SECRET: 'a-greeting-order-secret-of-length' };

let node: RunningNode;

beforeAll(async () => {
  // Figures pushed every 100 ms, so a push lands inside the held read.
  node = await startNode({ ...ENV, NODE_ID: 'greeting-1' }, { presenceIntervalMs: 100 });
}, 30_000);
afterAll(async () => {
  disconnectAll();
  await node.close();
});

test('no online-count reaches a resuming connection before its resumed', async () => {
  const a = await connect(node.url);
  const b = await connect(node.url);
  const observer = await connect(node.url);
  const matched = next(a, 'matched');
  await request(a, 'find-match', { interests: ['greeting'] });
  await request(b, 'find-match', { interests: ['greeting'] });
  await matched;
  a.disconnect();
  await next(b, 'partner-away');

  // The chat log read after the resuming socket's connect is held.
  const hold = holdNextCall(node.server.store, 'chatLog', 'before');
  const events: string[] = [];
  const again = connect(node.url, { token: a.session.token });
  void again.then((c) => c.onAny((event: string) => events.push(event)));
  const client = await again;
  await hold.reached;
  // The figures change (a newcomer searches) and are pushed to every connection of the node:
  // once the observer has them, the held connection was offered them too.
  const pushed = next(observer, 'online-count', 15_000);
  const newcomer = await connect(node.url);
  await request(newcomer, 'find-match', { interests: ['nobody'] });
  await pushed;
  hold.release();
  await client.resumed;
  await eventually(() => events.lastIndexOf('online-count') > events.indexOf('resumed'), { timeoutMs: 15_000, what: 'the greeting closed by online-count' });
  expect(events.slice(0, events.indexOf('resumed') + 1).filter((e) => e === 'online-count')).toEqual([]);
}, 30_000);
