import type { MatchedEvent, MessageEvent } from '../../src/protocol';
import { connect, next, request } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const cluster = useCluster();

test('two strangers on different nodes are paired and chat both ways', async () => {
  const alice = await connect(cluster.urls[0]!);
  const bob = await connect(cluster.urls[1]!);
  const aliceMatched = next<MatchedEvent>(alice, 'matched');
  const bobMatched = next<MatchedEvent>(bob, 'matched');

  expect(await request(alice, 'find-match', { interests: ['Chess'] })).toEqual({ ok: true, state: 'waiting' });
  expect(await request(bob, 'find-match', { interests: ['chess', 'go'] })).toEqual({ ok: true, state: 'matched' });
  const [a, b] = await Promise.all([aliceMatched, bobMatched]);
  expect(a.roomId).toBe(b.roomId);
  expect(a.commonInterests).toEqual(['chess']);

  const toBob = next<MessageEvent>(bob, 'message');
  const sent = await request<{ message: { id: string; sentAt: number } }>(alice, 'send-message', { text: 'hi bob' });
  expect(sent.ok).toBe(true);
  const received = await toBob;
  expect(received).toMatchObject({ text: 'hi bob', roomId: a.roomId });
  expect(sent.ok && received.id).toBe(sent.ok && sent.message.id);

  const toAlice = next<MessageEvent>(alice, 'message');
  await request(bob, 'send-message', { text: 'hi alice' });
  expect((await toAlice).text).toBe('hi alice');
});
