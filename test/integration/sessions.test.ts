/** Anonymous identity: kept across reloads and nodes, unforgeable, one live connection. */
import type { DisconnectReason, ErrorBody, MatchedEvent } from '../../src/protocol';
import { connect, eventually, next, quietFor, record, request } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';

const cluster = useCluster({ MATCH_COOLDOWN_MS: '300' });

test('a valid token keeps its identity on any node; the session event repeats it', async () => {
  const first = await connect(cluster.urls[0]!);
  expect(first.session.userId).toMatch(/^[A-Za-z0-9_-]{21}$/);
  first.disconnect();
  for (const url of cluster.urls) {
    const again = await connect(url, { token: first.session.token });
    expect(again.session).toMatchObject({ userId: first.session.userId, token: first.session.token });
    again.disconnect();
  }
});

test('a forged or altered token gets a new identity', async () => {
  const real = await connect(cluster.urls[0]!);
  const [id, mac] = real.session.token.split('.') as [string, string];
  const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
  const forged = ['nonsense', `${id}.${flipped}`, `${'x'.repeat(21)}.${mac}`, `${id}.`, 12345, { token: 1 }, 'a'.repeat(5000)];
  for (const token of forged) {
    const other = await connect(cluster.urls[1]!, { token: token as string });
    expect(other.session.userId).not.toBe(id);
    other.disconnect();
  }
});

test('cooldown follows the identity across a reload on another node', async () => {
  const a = await connect(cluster.urls[0]!);
  const b = await connect(cluster.urls[1]!);
  const matched = next(b, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  await request(a, 'leave-room', {});
  const { cooldownUntil } = await cluster.nodes[0]!.server.store.getUser(a.session.userId);
  expect(cooldownUntil).toBeGreaterThan(Date.now());
  a.disconnect();
  const reloaded = await connect(cluster.urls[2]!, { token: a.session.token });
  const c = await connect(cluster.urls[0]!);
  const reloadedMatched = next<MatchedEvent>(reloaded, 'matched');
  await request(reloaded, 'find-match', {});
  await request(c, 'find-match', {});
  await reloadedMatched;
  // Matched on another node, after the cooldown the identity earned on the first.
  expect(Date.now()).toBeGreaterThanOrEqual(cooldownUntil);
});

test('a newer connection takes over; the old one is told and closed, and its close disturbs nothing', async () => {
  const old = await connect(cluster.urls[0]!);
  const replaced = next<ErrorBody>(old, 'error');
  const closed = next<string>(old, 'disconnect');
  const fresh = await connect(cluster.urls[1]!, { token: old.session.token });
  expect((await replaced).code).toBe('SESSION_REPLACED');
  expect(await closed).toBe('io server disconnect');

  expect(await request(fresh, 'find-match', {})).toEqual({ ok: true, state: 'waiting' });
  await quietFor(100);
  expect((await cluster.nodes[0]!.server.store.getUser(fresh.session.userId)).state).toBe('waiting');
  const partner = await connect(cluster.urls[2]!);
  const matched = next(fresh, 'matched');
  await request(partner, 'find-match', {});
  await matched;
});

test('handlers are live in the connect callback: an event emitted at once is never lost', async () => {
  const a = await connect(cluster.urls[0]!);
  const b = await connect(cluster.urls[1]!);
  const acks = record(b, 'matched');
  const seen = await Promise.all([request(a, 'find-match', {}), request(b, 'find-match', {})]);
  expect(seen.every((r) => r.ok)).toBe(true);
  await eventually(() => expect(acks).toHaveLength(1));
});
