/**
 * Safety across two nodes on Redis and PostgreSQL: reports carry evidence the
 * server holds, one per reporter and target; three reporters suspend; an
 * operator's ban removes the user on every node within 2 s and refuses its
 * next handshake (identity and address), also after Redis lost everything;
 * the operator API refuses missing and wrong tokens.
 */
import { Redis } from 'ioredis';
import type { ErrorBody, MatchedEvent, RoomInfo, RoomPresenceEvent } from '../../src/protocol';
import type { ReportGroup } from '../../src/protocol';
import type { BanRecord, ReportRecord } from '../../src/store/moderation-store';
import { connect, disconnectAll, eventually, next, record, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

const TOKEN = 'an-operator-token-of-at-least-32-chars';
let redis: RedisServer;
let postgres: PostgresServer;
let nodes: RunningNode[];
let addresses = 10;

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  nodes = await startCluster(2, {
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: TEST_SECRET,
    DATABASE_URL: postgres.url,
    ADMIN_TOKEN: TOKEN,
    RESUME_GRACE_MS: '0',
    MATCH_COOLDOWN_MS: '0',
    REMATCH_WINDOW_MS: '0',
    ROOMS: 'lobby',
    RULES_GATE: 'off',
  });
}, 60_000);
afterEach(() => disconnectAll());
afterAll(async () => {
  disconnectAll();
  await stopAll(nodes ?? []);
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

/** Each test's users come from their own loopback addresses, so an address ban touches only them. */
const nextAddress = () => `127.0.0.${++addresses}`;
const fresh = (node: number, address = nextAddress()) => connect(nodes[node]!.url, { address });

async function api<T>(path: string, init: RequestInit = {}, token: string | null = TOKEN): Promise<{ status: number; body: T }> {
  const res = await fetch(`${nodes[0]!.url}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function chatting(a: Client, b: Client, interest: string): Promise<string> {
  const matched = next<MatchedEvent>(a, 'matched');
  await request(a, 'find-match', { interests: [interest] });
  await request(b, 'find-match', { interests: [interest] });
  return (await matched).roomId;
}

async function say(client: Client, text: string): Promise<void> {
  const ack = await request(client, 'send-message', { text });
  if (!ack.ok) throw new Error(ack.error.code);
}

test('a chat report stores the server’s log of both sides, blocks and ends the chat, and is filed once', async () => {
  const [reporter, reported] = await Promise.all([fresh(0), fresh(1)]);
  const roomId = await chatting(reporter, reported, 'report-chat');
  await say(reported, 'buy cheap followers at spam dot example');
  await say(reporter, 'no thanks');
  const ended = next<{ reason: string }>(reported, 'partner-disconnected');
  const ack = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'chat' }, reason: 'spam', note: 'bot' });
  if (!ack.ok) throw new Error(ack.error.code);
  expect((await ended).reason).toBe('left');
  const again = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'chat' }, reason: 'harassment' });
  expect(again).toEqual({ ok: true, reportId: ack.reportId });

  const { status, body } = await api<{ report: ReportRecord; group: ReportGroup }>(`/api/admin/reports/${ack.reportId}`);
  expect(status).toBe(200);
  expect(body.report).toMatchObject({
    reporterId: reporter.session.userId,
    targetId: reported.session.userId,
    kind: 'chat',
    context: { roomId },
    reason: 'spam',
    note: 'bot',
    status: 'open',
  });
  expect(body.report.evidence.map((m) => [m.author, m.text])).toEqual([
    ['reported', 'buy cheap followers at spam dot example'],
    ['reporter', 'no thanks'],
  ]);
  expect(body.report.targetIpHash).toMatch(/^[A-Za-z0-9_-]{32}$/);
  // Blocked: the two are not paired again.
  await request(reporter, 'find-match', { interests: ['report-chat'] });
  await request(reported, 'find-match', { interests: ['report-chat'] });
  const paired = record(reporter, 'matched');
  await new Promise((resolve) => setTimeout(resolve, 800));
  expect(paired).toEqual([]);
  await api(`/api/admin/reports/${ack.reportId}/resolve`, { method: 'POST', body: JSON.stringify({ action: 'dismiss' }) });
});

test('nothing to report: no recent chat, a room message of a room one is not in, an unknown message; bad payloads', async () => {
  const user = await fresh(0);
  const refused = await request(user, 'report', { target: { kind: 'chat' }, reason: 'spam' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  expect(await request(user, 'report', { target: { kind: 'room', code: 'lobby', seq: 1 }, reason: 'spam' })).toMatchObject({
    ok: false,
    error: { code: 'NOT_ALLOWED' },
  });
  for (const bad of [
    {},
    { target: { kind: 'chat' }, reason: 'rude' },
    { target: { kind: 'room', code: 'lobby' }, reason: 'spam' },
    { target: { kind: 'chat', extra: 1 }, reason: 'spam' },
    { target: { kind: 'chat' }, reason: 'spam', note: 'x'.repeat(501) },
    { target: { kind: 'dm', contactId: 'c', id: '../x' }, reason: 'spam' },
  ]) {
    expect(await request(user, 'report', bad)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  }
});

test('a room report keeps the messages around the reported one; three reporters suspend until an operator dismisses', async () => {
  const [target, ...reporters] = await Promise.all([fresh(0), fresh(1), fresh(0), fresh(1)]);
  const created = await request<{ room: RoomInfo }>(target, 'room-create', { title: 'Reports', visibility: 'private' });
  if (!created.ok) throw new Error(created.error.code);
  const { code } = created.room;
  for (const [i, r] of reporters.entries()) expect(await request(r, 'room-join', { code, name: `Reporter ${i}` })).toMatchObject({ ok: true });
  const seqs: number[] = [];
  for (const text of ['hello', 'something hateful', 'bye']) {
    const ack = await request<{ message: { seq: number } }>(target, 'room-message', { code, text });
    if (ack.ok) seqs.push(ack.message.seq);
  }
  const ids: string[] = [];
  for (const r of reporters) {
    const ack = await request<{ reportId: string }>(r, 'report', { target: { kind: 'room', code, seq: seqs[1] }, reason: 'hate' });
    if (!ack.ok) throw new Error(ack.error.code);
    ids.push(ack.reportId);
  }
  const report = (await api<{ report: ReportRecord }>(`/api/admin/reports/${ids[0]}`)).body.report;
  expect(report.context).toEqual({ code, seq: seqs[1] });
  expect(report.evidence.map((m) => [m.seq, m.author, m.text, m.reported ?? false])).toEqual([
    [seqs[0], 'reported', 'hello', false],
    [seqs[1], 'reported', 'something hateful', true],
    [seqs[2], 'reported', 'bye', false],
  ]);
  // Suspended on every node, for matching and rooms.
  await eventually(async () => {
    expect(await request(target, 'room-join', { code: 'lobby' })).toMatchObject({ ok: false, error: { code: 'SUSPENDED' } });
  }, 20_000);
  expect(await request(target, 'find-match', {})).toMatchObject({ ok: false, error: { code: 'SUSPENDED' } });
  expect(await request(target, 'room-message', { code, text: 'more' })).toMatchObject({ ok: false, error: { code: 'SUSPENDED' } });
  // Leaving stays open.
  expect(await request(target, 'room-leave', { code })).toMatchObject({ ok: true });
  const queue = (await api<{ groups: ReportGroup[] }>('/api/admin/reports?status=open')).body.groups;
  const group = queue.find((g) => g.targetId === target.session.userId)!;
  expect(group).toMatchObject({ reporterCount: 3, suspended: true });
  expect(group.reports.map((r) => r.id)).toEqual(ids);
  expect((await api(`/api/admin/reports/${ids[0]}/resolve`, { method: 'POST', body: JSON.stringify({ action: 'dismiss' }) })).status).toBe(200);
  await eventually(async () => {
    expect(await request(target, 'room-join', { code: 'lobby' })).toMatchObject({ ok: true });
  }, 20_000);
  await request(target, 'room-leave', { code: 'lobby' });
}, 60_000);

test('a ban removes the user on its node (chat ends, rooms left), refuses its identity and address, and holds after Redis lost everything', async () => {
  const address = nextAddress();
  const [reporter, banned, roommate, partner] = await Promise.all([fresh(0), fresh(1, address), fresh(0), fresh(0)]);
  expect(await request(banned, 'room-join', { code: 'lobby', name: 'Banned One' })).toMatchObject({ ok: true });
  expect(await request(roommate, 'room-join', { code: 'lobby', name: 'Roommate' })).toMatchObject({ ok: true });
  await chatting(reporter, banned, 'report-ban');
  await say(banned, 'abuse');
  const report = await request<{ reportId: string }>(reporter, 'report', { target: { kind: 'chat' }, reason: 'harassment' });
  if (!report.ok) throw new Error(report.error.code);
  // By the time the operator acts, the reported user chats with someone else.
  await chatting(partner, banned, 'report-ban-next');
  // Each node looks at the bans every second; the bounds leave room for a busy machine.
  const partnerTold = next<{ reason: string }>(partner, 'partner-disconnected', 15_000);
  const presence = record<RoomPresenceEvent>(roommate, 'room-presence');
  const told = next<ErrorBody>(banned, 'error', 15_000);
  const gone = next<string>(banned, 'disconnect', 15_000);
  const resolved = await api<{ bans: BanRecord[] }>(`/api/admin/reports/${report.reportId}/resolve`, {
    method: 'POST',
    body: JSON.stringify({ action: 'ban', durationMs: 3_600_000, banIp: true }),
  });
  expect(resolved.status).toBe(200);
  expect(resolved.body.bans.map((b) => b.kind)).toEqual(['identity', 'ip']);
  expect((await told).code).toBe('BANNED');
  await gone;
  expect((await partnerTold).reason).toBe('left');
  await eventually(() => expect(presence.map((p) => p.left?.name)).toContain('Banned One'), 10_000);

  const refusal = (c: Promise<Client>) => c.then(() => null, (err: { data?: { code: string; until: number | null } }) => err.data);
  expect(await refusal(connect(nodes[0]!.url, { token: banned.session.token, address: '127.0.0.250' }))).toMatchObject({ code: 'BANNED' });
  expect(await refusal(connect(nodes[1]!.url, { address }))).toMatchObject({ code: 'BANNED', until: expect.any(Number) });

  // Redis loses everything: PostgreSQL is the record of bans.
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await refusal(connect(nodes[1]!.url, { token: banned.session.token, address: '127.0.0.251' }))).toMatchObject({ code: 'BANNED' });

  const bans = (await api<{ bans: BanRecord[] }>('/api/admin/bans')).body.bans;
  for (const ban of bans.filter((b) => b.reportId === report.reportId)) {
    expect((await api(`/api/admin/bans/${ban.id}`, { method: 'DELETE' })).status).toBe(204);
  }
  await eventually(async () => expect(await refusal(connect(nodes[1]!.url, { token: banned.session.token, address }))).toBeNull(), 10_000);
  const audit = (await api<{ entries: { action: string }[] }>('/api/admin/audit?limit=10')).body.entries.map((e) => e.action);
  expect(audit.slice(0, 3)).toEqual(['ban.lift', 'ban.lift', 'report.ban']);
}, 60_000);

test('the operator API: no token or a wrong one is 401, bad bodies 400, unknown ids 404, repeated failures 429', async () => {
  expect((await api('/api/admin/reports', {}, null)).status).toBe(401);
  expect((await api('/api/admin/reports', {}, 'wrong-token-wrong-token-wrong-token')).status).toBe(401);
  expect((await api('/api/admin/reports?status=maybe')).status).toBe(400);
  expect((await api('/api/admin/reports/nope')).status).toBe(404);
  expect((await api('/api/admin/reports/nope/resolve', { method: 'POST', body: JSON.stringify({ action: 'dismiss' }) })).status).toBe(404);
  for (const body of ['{', JSON.stringify({ action: 'ban', durationMs: 5 }), JSON.stringify({ action: 'dismiss', banIp: true }), JSON.stringify({ action: 'x' })]) {
    expect((await api('/api/admin/reports/nope/resolve', { method: 'POST', body })).status).toBe(400);
  }
  expect((await api('/api/admin/bans/nope', { method: 'DELETE' })).status).toBe(404);
  const res = await fetch(`${nodes[0]!.url}/api/admin/reports`, { headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' } });
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  // A second node's gate counts its own failures.
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    statuses.push((await fetch(`${nodes[1]!.url}/api/admin/audit`, { headers: { authorization: 'Bearer nope' } })).status);
  }
  expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(10)).toEqual([429, 429]);
});
