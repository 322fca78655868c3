/**
 * One person cannot suspend someone with throwaway identities: three
 * tokenless connections from one address reporting a room message suspend
 * nobody (the console shows that they share an address), nor do three
 * brand-new identities from three addresses under the default identity age;
 * each address files at most REPORT_ADDRESS_LIMIT reports. On one memory node
 * and on two nodes with Redis and PostgreSQL.
 */
import type { ReportGroup } from '../../src/protocol';
import type { RoomInfo } from '../../src/protocol';
import { connect, disconnectAll, eventually, quietFor, request, type Client } from '../helpers/clients';
import { DEPLOYMENTS, useDeployment } from '../helpers/deployments';
import { stopAll, type RunningNode } from '../../testkit/nodes';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
const ENV = { ADMIN_TOKEN: TOKEN, ROOMS: 'lobby', REPORT_ADDRESS_LIMIT: '3', ROOM_MESSAGE_RATE_LIMIT: '100' };

describe.each(DEPLOYMENTS)('%s', (_name, shared) => {
  const deployment = useDeployment(shared);
  let nodes: RunningNode[] = [];
  let addresses = 20;
  const url = (i: number) => nodes[i % nodes.length]!.url;
  const nextAddress = () => `127.0.0.${++addresses}`;

  /** Nodes with `env` on top of ENV (restarted per test: the identity age rule differs). */
  async function start(env: Record<string, string> = {}): Promise<void> {
    nodes = await deployment.start({ ...ENV, ...env });
  }

  afterEach(async () => {
    disconnectAll();
    await stopAll(nodes);
  });

  async function groupOf(targetId: string): Promise<ReportGroup | undefined> {
    const res = await fetch(`${url(0)}/api/admin/reports`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return ((await res.json()) as { groups: ReportGroup[] }).groups.find((g) => g.targetId === targetId);
  }

  /** The victim posts in the public room `lobby`; resolves with the message's seq. */
  async function victimPosts(victim: Client): Promise<number> {
    expect(await request(victim, 'room-join', { code: 'lobby', name: 'Victim' })).toMatchObject({ ok: true });
    const ack = await request<{ message: { seq: number } }>(victim, 'room-message', { code: 'lobby', text: 'hello everyone' });
    if (!ack.ok) throw new Error(ack.error.code);
    return ack.message.seq;
  }

  async function reportFrom(client: Client, seq: number, i: number) {
    await request<{ room: RoomInfo }>(client, 'room-join', { code: 'lobby', name: `Reporter ${i}` });
    return request<{ reportId: string }>(client, 'report', { target: { kind: 'room', code: 'lobby', seq }, reason: 'hate' });
  }

  /** The victim can still join rooms (not SUSPENDED) once every node had time to hear of a suspension. */
  async function expectNotSuspended(victim: Client): Promise<void> {
    await quietFor(1500);
    expect(await request(victim, 'room-join', { code: 'lobby' })).toMatchObject({ ok: true });
    expect(await request(victim, 'find-match', {})).toMatchObject({ ok: true });
  }

  test('three tokenless identities from one address report a room message: nobody is suspended; the console shows the shared address', async () => {
    await start();
    const victim = await connect(url(0), { address: nextAddress() });
    const seq = await victimPosts(victim);
    const attacker = nextAddress();
    for (let i = 0; i < 3; i++) {
      const sock = await connect(url(i), { address: attacker });
      expect(await reportFrom(sock, seq, i)).toMatchObject({ ok: true });
    }
    await expectNotSuspended(victim);
    expect(await groupOf(victim.session.userId)).toMatchObject({
      reporterCount: 3,
      reporterAddresses: 1,
      sharedAddress: true,
      independentReporters: 1,
      suspended: false,
    });
  });

  test('three reporters from three addresses still suspend when their identities count (the rule is then only about addresses)', async () => {
    await start();
    const victim = await connect(url(0), { address: nextAddress() });
    const seq = await victimPosts(victim);
    for (let i = 0; i < 3; i++) expect(await reportFrom(await connect(url(i), { address: nextAddress() }), seq, i)).toMatchObject({ ok: true });
    await eventually(async () => {
      expect(await request(victim, 'room-join', { code: 'lobby' })).toMatchObject({ ok: false, error: { code: 'SUSPENDED' } });
    }, 20_000);
    expect(await groupOf(victim.session.userId)).toMatchObject({ reporterAddresses: 3, sharedAddress: false, independentReporters: 3, suspended: true });
  });

  test('under the default identity age, three brand-new identities from three addresses suspend nobody', async () => {
    await start({ REPORT_MIN_IDENTITY_AGE_MS: '900000', REPORT_MIN_IDENTITY_MESSAGES: '5' });
    const victim = await connect(url(0), { address: nextAddress() });
    const seq = await victimPosts(victim);
    for (let i = 0; i < 3; i++) expect(await reportFrom(await connect(url(i), { address: nextAddress() }), seq, i)).toMatchObject({ ok: true });
    await expectNotSuspended(victim);
    expect(await groupOf(victim.session.userId)).toMatchObject({ reporterCount: 3, independentReporters: 0, suspended: false });
  });

  test('one address files at most REPORT_ADDRESS_LIMIT reports per window, across identities and nodes', async () => {
    await start();
    const address = nextAddress();
    const targets = await Promise.all([0, 1, 2, 3].map(() => connect(url(0), { address: nextAddress() })));
    const seqs: number[] = [];
    for (const [i, t] of targets.entries()) {
      expect(await request(t, 'room-join', { code: 'lobby', name: `Target ${i}` })).toMatchObject({ ok: true });
      const ack = await request<{ message: { seq: number } }>(t, 'room-message', { code: 'lobby', text: `post ${i}` });
      if (!ack.ok) throw new Error(ack.error.code);
      seqs.push(ack.message.seq);
    }
    const results = [];
    for (const [i, seq] of seqs.entries()) results.push(await reportFrom(await connect(url(i), { address }), seq, i));
    expect(results.slice(0, 3).every((r) => r.ok)).toBe(true);
    expect(results[3]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});
