/**
 * The safety gate across two nodes sharing Redis: a rules acceptance made on
 * one node counts on the other, a proof-of-work solution is single-use
 * cluster-wide, and the early-link hold is checked in the relay script.
 */
import type { MessageEvent } from '../../src/protocol';
import { connect, next, request, type Client } from '../helpers/clients';
import { useCluster } from '../helpers/cluster-fixture';
import { solveFrom } from '../helpers/pow';

const cluster = useCluster({ RULES_GATE: 'on', POW_DIFFICULTY: '300', LINK_DELAY_MS: '700', MATCH_COOLDOWN_MS: '0' }, 2);

let rulesVersion: string;
beforeAll(async () => {
  rulesVersion = ((await (await fetch(`${cluster.urls[0]}/api/config`)).json()) as { rulesVersion: string }).rulesVersion;
});

/** A new identity on `url`, past the proof of work. */
const fresh = async (url: string): Promise<Client> => connect(url, { pow: await solveFrom(url) });
const accept = (client: Client) => request(client, 'accept-rules', { version: rulesVersion, ageConfirmed: true });
const refusal = (url: string, pow: string) =>
  connect(url, { pow }).then(
    () => null,
    (err: Error & { data?: unknown }) => err.data,
  );

test('rules accepted on one node count on the other, for that identity only', async () => {
  const [url1, url2] = cluster.urls as [string, string];
  const a = await fresh(url1);
  expect(await accept(a)).toEqual({ ok: true });
  a.disconnect();
  const again = await connect(url2, { token: a.session.token });
  expect(await request(again, 'find-match', {})).toMatchObject({ ok: true, state: 'waiting' });
  const other = await fresh(url2);
  expect(await request(other, 'room-create', { title: 'x', visibility: 'private' })).toMatchObject({
    ok: false,
    error: { code: 'RULES_NOT_ACCEPTED' },
  });
});

test('a proof-of-work solution is single-use across the cluster; any node verifies any node’s challenge', async () => {
  const [url1, url2] = cluster.urls as [string, string];
  const solution = await solveFrom(url1);
  const first = await connect(url2, { pow: solution });
  expect(first.session.userId).toEqual(expect.any(String));
  expect(await refusal(url1, solution)).toMatchObject({ code: 'POW_REQUIRED' });
  expect(await refusal(url2, solution)).toMatchObject({ code: 'POW_REQUIRED' });
  // Two nodes racing for one solution: exactly one admits it.
  const raced = await solveFrom(url2);
  const results = await Promise.allSettled([connect(url1, { pow: raced }), connect(url2, { pow: raced })]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
});

test('a link waits out the chat’s first LINK_DELAY_MS across nodes', async () => {
  const [url1, url2] = cluster.urls as [string, string];
  const a = await fresh(url1);
  const b = await fresh(url2);
  await Promise.all([accept(a), accept(b)]);
  const matched = next(a, 'matched');
  await request(a, 'find-match', {});
  await request(b, 'find-match', {});
  await matched;
  expect(await request(b, 'send-message', { text: 'www.spam.example' })).toMatchObject({ ok: false, error: { code: 'LINK_NOT_ALLOWED' } });
  await new Promise((resolve) => setTimeout(resolve, 800));
  const got = next<MessageEvent>(a, 'message');
  expect(await request(b, 'send-message', { text: 'www.spam.example' })).toMatchObject({ ok: true });
  expect((await got).text).toBe('www.spam.example');
});
