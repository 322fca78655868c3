/**
 * Identities cost something: an address gets at most NEW_IDENTITY_LIMIT new
 * identities per window (saved identities still connect), and after an
 * identity ban the banned identity's address gets no new identity, so
 * reconnecting without a token does not bring the banned person back. On one
 * memory node and on two nodes with Redis and PostgreSQL.
 */
import type { BanRecord } from '../../src/store/moderation-store';
import { connect, disconnectAll, eventually, next, request, type Client } from '../helpers/clients';
import { DEPLOYMENTS, useDeployment } from '../helpers/deployments';
import type { RunningNode } from '../../testkit/nodes';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
const ENV = { ADMIN_TOKEN: TOKEN, ROOMS: 'lobby', NEW_IDENTITY_LIMIT: '3' };

type Refusal = { code: string; until?: number | null } | null;
const refusal = (c: Promise<Client>): Promise<Refusal> => c.then(() => null, (err: { data?: Refusal }) => err.data ?? null);

describe.each(DEPLOYMENTS)('%s', (_name, shared) => {
  const deployment = useDeployment(shared);
  let nodes: RunningNode[] = [];
  let addresses = 40;
  const url = (i: number) => nodes[i % nodes.length]!.url;
  const nextAddress = () => `127.0.0.${++addresses}`;

  beforeAll(async () => {
    nodes = await deployment.start(ENV);
  }, 60_000);
  afterEach(() => disconnectAll());

  async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(`${url(0)}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  test('an address gets NEW_IDENTITY_LIMIT new identities per window, across nodes; saved identities and other addresses still connect', async () => {
    const address = nextAddress();
    const made: Client[] = [];
    for (let i = 0; i < 3; i++) made.push(await connect(url(i), { address }));
    expect(await refusal(connect(url(1), { address }))).toMatchObject({ code: 'RATE_LIMITED' });
    const token = made[0]!.session.token;
    disconnectAll();
    const again = await connect(url(1), { address, token });
    expect(again.session.userId).toBe(made[0]!.session.userId);
    expect(await refusal(connect(url(0), { address: nextAddress() }))).toBeNull();
  });

  test('after an identity ban, its address gets no new identity until the mark ends; existing identities there still connect; lifting the ban lifts it', async () => {
    const address = nextAddress();
    const [banned, neighbour, reporter] = [await connect(url(0), { address }), await connect(url(1), { address }), await connect(url(1), { address: nextAddress() })];
    const neighbourToken = neighbour.session.token;
    for (const [c, name] of [[banned, 'Troll'], [reporter, 'Witness']] as const) {
      expect(await request(c, 'room-join', { code: 'lobby', name })).toMatchObject({ ok: true });
    }
    const posted = await request<{ message: { seq: number } }>(banned, 'room-message', { code: 'lobby', text: 'abuse' });
    if (!posted.ok) throw new Error(posted.error.code);
    const report = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'room', code: 'lobby', seq: posted.message.seq }, reason: 'harassment' });
    if (!report.ok) throw new Error(report.error.code);
    const gone = next(banned, 'disconnect');
    const resolved = await api<{ bans: BanRecord[] }>(`/api/admin/reports/${report.reportId}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ action: 'ban', durationMs: 3_600_000 }),
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.bans).toEqual([expect.objectContaining({ kind: 'identity', addressHash: expect.any(String) })]);
    await gone;
    disconnectAll();

    // Once every node enforces the ban (its token is refused there)…
    const bannedToken = banned.session.token;
    await eventually(async () => {
      for (const i of [0, 1]) expect(await refusal(connect(url(i), { address: nextAddress(), token: bannedToken }))).toMatchObject({ code: 'BANNED' });
    });
    // …the banned person reconnecting without a token, on any node, gets no fresh identity.
    for (const i of [0, 1]) {
      expect(await refusal(connect(url(i), { address }))).toEqual({ code: 'BANNED', message: expect.any(String), until: expect.any(Number) });
    }
    // Someone else with a saved identity on that address is not banned; a new identity elsewhere is fine.
    expect(await refusal(connect(url(1), { address, token: neighbourToken }))).toBeNull();
    expect(await refusal(connect(url(0), { address: nextAddress() }))).toBeNull();

    for (const ban of resolved.body.bans) expect((await api(`/api/admin/bans/${ban.id}`, { method: 'DELETE' })).status).toBe(204);
    await eventually(async () => expect(await refusal(connect(url(1), { address }))).toBeNull());
  });
});
