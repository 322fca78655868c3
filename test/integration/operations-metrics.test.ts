/**
 * The figures operators alert on, from one node in memory: messages by stream
 * (chat, room, dm), the nodes in the heartbeat, reports stored, the review
 * queue and its oldest report, automatic suspensions and operators' bans.
 */
import { connect, disconnectAll, eventually, request } from '../helpers/clients';
import { chat } from '../helpers/contacts';
import { roomWithMembers } from '../helpers/rooms';
import { startNode, type RunningNode } from '../../testkit/nodes';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
let node: RunningNode;

beforeAll(async () => {
  node = await startNode({ NODE_ID: 'solo', ADMIN_TOKEN: TOKEN, REPORT_SUSPEND_THRESHOLD: '1', RESUME_GRACE_MS: '0' });
});
afterAll(async () => {
  disconnectAll();
  await node?.close();
});

/** One sample of this node's /metrics, by name and labels as written; NaN when absent. */
async function sample(series: string): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

test('messages are counted by stream, and the node counts itself in the heartbeat', async () => {
  const alice = await connect(node.url);
  const bob = await connect(node.url);
  await chat(alice, bob);
  expect(await request(alice, 'send-message', { text: 'hello' })).toMatchObject({ ok: true });
  await request(alice, 'keep-in-touch', {});
  const kept = await request<{ state: string }>(bob, 'keep-in-touch', {});
  expect(kept).toEqual({ ok: true, state: 'connected' });
  const list = await request<{ contacts: { contactId: string }[] }>(alice, 'contacts-list', {});
  if (!list.ok) throw new Error(list.error.code);
  expect(await request(alice, 'dm-send', { contactId: list.contacts[0]!.contactId, text: 'later' })).toMatchObject({ ok: true });
  const code = await roomWithMembers(alice, [alice, bob]);
  expect(await request(bob, 'room-message', { code, text: 'in the room' })).toMatchObject({ ok: true });
  expect(await request(bob, 'room-message', { code, text: 'again' })).toMatchObject({ ok: true });

  expect(await sample('parley_messages_relayed_total{stream="chat",node_id="solo"}')).toBe(1);
  expect(await sample('parley_messages_relayed_total{stream="dm",node_id="solo"}')).toBe(1);
  expect(await sample('parley_messages_relayed_total{stream="room",node_id="solo"}')).toBe(2);
  expect(await sample('parley_cluster_nodes{node_id="solo"}')).toBe(1);
  // Without PostgreSQL there is no archive, and no lag figure for it.
  expect(await sample('parley_archive_lag_seconds{node_id="solo"}')).toBeNaN();
});

test('a report is counted, waits in the queue, suspends at the threshold; a ban empties the queue and is counted', async () => {
  const reporter = await connect(node.url);
  const reported = await connect(node.url);
  await chat(reporter, reported);
  expect(await request(reported, 'send-message', { text: 'spam spam' })).toMatchObject({ ok: true });
  expect(await sample('parley_reports_open{node_id="solo"}')).toBe(0);
  expect(await sample('parley_reports_oldest_open_age_seconds{node_id="solo"}')).toBe(0);

  const ack = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'chat' }, reason: 'spam' });
  if (!ack.ok) throw new Error(ack.error.code);
  expect(await sample('parley_reports_total{kind="chat",node_id="solo"}')).toBe(1);
  expect(await sample('parley_suspensions_total{node_id="solo"}')).toBe(1);
  expect(await sample('parley_reports_open{node_id="solo"}')).toBe(1);
  // The oldest report's age grows while it waits.
  const first = await sample('parley_reports_oldest_open_age_seconds{node_id="solo"}');
  expect(first).toBeGreaterThanOrEqual(0);
  await eventually(async () => expect(await sample('parley_reports_oldest_open_age_seconds{node_id="solo"}')).toBeGreaterThan(first));

  const resolved = await fetch(`${node.url}/api/admin/reports/${ack.reportId}/resolve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'ban', durationMs: 3_600_000 }),
  });
  expect(resolved.status).toBe(200);
  expect(await sample('parley_bans_total{kind="identity",node_id="solo"}')).toBe(1);
  expect(await sample('parley_reports_open{node_id="solo"}')).toBe(0);
  expect(await sample('parley_reports_oldest_open_age_seconds{node_id="solo"}')).toBe(0);
});
