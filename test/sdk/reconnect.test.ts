/**
 * reconnect(): a connected client presents the token its store holds now
 * (the identity switches), and a client whose identity was taken over takes
 * it back.
 */
import { memoryTokenStore } from '@parley/client';
import { nextEvent, useSdkCluster } from './sdk-fixture';

const fixture = useSdkCluster();

test('a connected client reconnects as the identity its token store holds now, and the replaced one takes it back', async () => {
  const store = memoryTokenStore();
  const a = fixture.client(0, { tokenStore: store });
  const b = fixture.client(1);
  const [first, other] = await Promise.all([a.ready(), b.ready()]);
  expect(first.userId).not.toBe(other.userId);

  store.set(other.token);
  const switched = nextEvent(a, 'session', (s) => s.userId === other.userId);
  const replaced = nextEvent(b, 'closed');
  a.reconnect();
  expect((await switched).userId).toBe(other.userId);
  expect((await replaced).error?.code).toBe('SESSION_REPLACED');
  expect(b.stopped?.code).toBe('SESSION_REPLACED');

  const back = nextEvent(b, 'session');
  const aReplaced = nextEvent(a, 'closed');
  b.reconnect();
  expect((await back).userId).toBe(other.userId);
  expect((await aReplaced).error?.code).toBe('SESSION_REPLACED');
  expect(b.connected).toBe(true);
});

test('reconnect() does nothing after close()', async () => {
  const a = fixture.client(0);
  await a.ready();
  await a.close();
  a.reconnect();
  expect(a.stopped?.code).toBe('CLOSED');
  expect(a.connected).toBe(false);
});
