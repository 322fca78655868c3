/**
 * `npm run backup` and `npm run restore` keep what PostgreSQL holds: a
 * database filled through the real API (a public room's history past the
 * Redis window, archived; two contacts and their direct messages; a report
 * and an operator's ban) is dumped, restored into a fresh database, and a
 * node started on that database (with a Redis that never saw any of it)
 * serves the same history, contacts, DMs, report and ban: the banned
 * identity is refused. A non-empty target is refused (unless --clean), and
 * a damaged dump; an identity deleted after the dump is deleted again with
 * --deletions-from.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import type { Contact, DmHistoryMessage, RoomMessage } from '../../src/protocol';
import type { BansResponse, ReportGroup } from '../../src/protocol';
import { connect, disconnectAll, eventually, next, request, type Client } from '../helpers/clients';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { keepInTouch } from '../helpers/contacts';
import { startNode, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { ensureBuilt } from '../../testkit/parley-process';
import { ROOT } from '../../testkit/paths';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

const execFileAsync = promisify(execFile);
const TOKEN = 'an-operator-token-of-at-least-32-chars';
/** More than the 500 messages a room keeps in Redis. */
const ROOM_MESSAGES = 520;

let redis: RedisServer;
let postgres: PostgresServer;
let dir: string;
const nodes: RunningNode[] = [];
/** The first test's two contacts, for the deletion re-applied after a restore. */
const friends: { alice?: Client; bob?: Client } = {};

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'parley-backups-'));
  // --deletions-from runs the build's identity deletion.
  ensureBuilt();
});
afterAll(async () => {
  disconnectAll();
  await Promise.all(nodes.map((node) => node.close()));
  await Promise.all([redis?.stop(), postgres?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A node on `databaseUrl` with a Redis key prefix of its own. */
async function nodeOn(databaseUrl: string, id: string): Promise<RunningNode> {
  const node = await startNode({
    NODE_ID: id,
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: TEST_SECRET,
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN: TOKEN,
    ROOMS: 'lobby',
    ROOM_MESSAGE_RATE_LIMIT: '100000',
    DM_RATE_LIMIT: '100000',
    MATCH_COOLDOWN_MS: '0',
  });
  nodes.push(node);
  return node;
}

async function admin<T>(node: RunningNode, route: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${node.url}/api/admin${route}`, {
    ...init,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs `npm run <script> -- <args>` against `databaseUrl`; resolves with its exit code and output. */
async function npmRun(script: string, args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('npm', ['run', '--silent', script, '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout = '', stderr = '' } = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : -1, stdout, stderr };
  }
}

/** The dumps `npm run backup` wrote in this file's folder, oldest first (not the ones a test made up, dated 2000). */
const backups = (): string[] =>
  readdirSync(dir)
    .filter((name) => /^parley-\d{8}T\d{6}Z\.dump$/.test(name) && !name.startsWith('parley-2000'))
    .sort();

/** Fails with the script's own words when it did not exit 0 (npm may warn on stderr, so stderr alone says nothing). */
function succeeded(run: { code: number; stdout: string; stderr: string }): void {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}${run.stdout}`);
  expect(run.stderr).not.toMatch(/^parley:/m);
}

/** Every message of a public room, oldest first, paging back from the newest. */
async function history(node: RunningNode, code: string): Promise<RoomMessage[]> {
  const seen: RoomMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const res = await fetch(`${node.url}/api/rooms/${code}/messages?limit=100${before ? `&before=${before}` : ''}`);
    if (!res.ok) throw new Error(`history of ${code}: ${res.status}`);
    const page = (await res.json()) as { messages: RoomMessage[]; hasMore: boolean };
    seen.unshift(...page.messages);
    if (!page.hasMore) return seen;
    before = page.messages[0]!.seq;
  }
}

async function contactsOf(client: Client): Promise<Contact[]> {
  const ack = await request<{ contacts: Contact[] }>(client, 'contacts-list', {});
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.contacts;
}

async function dmTexts(client: Client, contactId: string): Promise<string[]> {
  const ack = await request<{ messages: DmHistoryMessage[] }>(client, 'dm-history', { contactId });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.messages.map((m) => m.text);
}

/** Row counts of every table in the public schema. */
async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new PgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    const counts: Record<string, number> = {};
    for (const { tablename } of rows) {
      const result = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${tablename}"`);
      counts[tablename] = result.rows[0]!.n;
    }
    return counts;
  } finally {
    await client.end();
  }
}

test('a dump of a database filled through the API restores into a fresh database, and a node on it serves the same history, contacts, DMs and bans', async () => {
  // 1. Fill the database through the API of a node on Redis and PostgreSQL.
  const source = await nodeOn(postgres.url, 'source');
  const alice = await connect(source.url);
  const bob = await connect(source.url);
  const mallory = await connect(source.url, { address: '127.0.0.23' });

  expect(await request(alice, 'room-join', { code: 'lobby' })).toMatchObject({ ok: true });
  expect(await request(mallory, 'room-join', { code: 'lobby' })).toMatchObject({ ok: true });
  const texts: string[] = [];
  for (let i = 1; i <= ROOM_MESSAGES; i++) {
    texts.push(`lobby ${i}`);
    expect(await request(alice, 'room-message', { code: 'lobby', text: `lobby ${i}` })).toMatchObject({ ok: true, message: { seq: i } });
  }
  texts.push('buy followers now');
  const spam = await request<{ message: { seq: number } }>(mallory, 'room-message', { code: 'lobby', text: 'buy followers now' });
  if (!spam.ok) throw new Error(spam.error.code);

  const { aSees: aliceSees, bSees: bobSees } = await keepInTouch(alice, bob);
  Object.assign(friends, { alice, bob });
  await request(alice, 'leave-room', {});
  const dms = ['hello again', 'hi alice', 'see you tomorrow'];
  expect(await request(alice, 'dm-send', { contactId: aliceSees, text: dms[0] })).toMatchObject({ ok: true });
  expect(await request(bob, 'dm-send', { contactId: bobSees, text: dms[1] })).toMatchObject({ ok: true });
  expect(await request(alice, 'dm-send', { contactId: aliceSees, text: dms[2] })).toMatchObject({ ok: true });

  const report = await request<{ reportId: string }>(alice, 'report', { target: { kind: 'room', code: 'lobby', seq: spam.message.seq }, reason: 'spam' });
  if (!report.ok) throw new Error(report.error.code);
  const banned = next(mallory, 'disconnect');
  const resolved = await admin<{ bans: BansResponse['bans'] }>(source, `/reports/${report.reportId}/resolve`, {
    method: 'POST',
    body: JSON.stringify({ action: 'ban' }),
  });
  expect(resolved.bans).toEqual([expect.objectContaining({ kind: 'identity', subject: mallory.session.userId })]);
  await banned;

  // The room's messages reach PostgreSQL through the archiver.
  const pg = source.server.postgres!.pool;
  await eventually(async () => {
    const { rows } = await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM room_messages WHERE room_code = 'lobby'");
    expect(rows[0]!.n).toBe(ROOM_MESSAGES + 1);
  }, 20_000);
  disconnectAll();
  await source.close();

  // 2. Back up.
  const backup = await npmRun('backup', ['--dir', dir], postgres.url);
  succeeded(backup);
  const dumps = readdirSync(dir).filter((name) => name.endsWith('.dump'));
  expect(dumps).toEqual([expect.stringMatching(/^parley-\d{8}T\d{6}Z\.dump$/)]);
  const dump = path.join(dir, dumps[0]!);
  expect(readFileSync(`${dump}.sha256`, 'utf8')).toMatch(new RegExp(`^[0-9a-f]{64}  ${dumps[0]}\\n$`));
  expect(backup.stdout).toContain(`to ${dump}`);

  // 3. Restore: a database that holds anything is refused; a fresh one takes the dump.
  const refused = await npmRun('restore', [dump], postgres.url);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/is not empty .*--clean/);
  const restoredUrl = await postgres.createDatabase('restored');
  const restored = await npmRun('restore', [dump], restoredUrl);
  succeeded(restored);
  expect(restored.stdout).toContain(`room_messages ${ROOM_MESSAGES + 1}`);
  // Every table, the migrations table with them, row for row.
  const [before, after] = await Promise.all([rowCounts(postgres.url), rowCounts(restoredUrl)]);
  expect(after).toEqual(before);
  expect(Object.keys(after)).toEqual(
    expect.arrayContaining(['parley_migrations', 'rooms', 'room_messages', 'contacts', 'direct_messages', 'reports', 'bans', 'audit_log']),
  );

  // 4. A node on the restored database, on a Redis that never saw any of it.
  const target = await nodeOn(restoredUrl, 'restored');
  const seen = await history(target, 'lobby');
  expect(seen.map((m) => m.seq)).toEqual(texts.map((_, i) => i + 1));
  expect(seen.map((m) => m.text)).toEqual(texts);

  const aliceAgain = await connect(target.url, { token: alice.session.token });
  const bobAgain = await connect(target.url, { token: bob.session.token });
  expect(aliceAgain.session.userId).toBe(alice.session.userId);
  expect((await contactsOf(aliceAgain)).map((c) => c.contactId)).toEqual([aliceSees]);
  expect((await contactsOf(bobAgain)).map((c) => c.contactId)).toEqual([bobSees]);
  expect(await dmTexts(aliceAgain, aliceSees)).toEqual(dms);
  expect(await dmTexts(bobAgain, bobSees)).toEqual(dms);

  const { bans } = await admin<BansResponse>(target, '/bans');
  expect(bans).toEqual([expect.objectContaining({ kind: 'identity', subject: mallory.session.userId })]);
  const { groups } = await admin<{ groups: ReportGroup[] }>(target, '/reports?status=closed');
  expect(groups.map((g) => g.targetId)).toEqual([mallory.session.userId]);
  const refusal = await eventually(async () => {
    const error = await connect(target.url, { token: mallory.session.token, address: '127.0.0.23' }).then(
      () => {
        throw new Error('the banned identity was let in');
      },
      (err: { data?: { code?: string } }) => err,
    );
    return error;
  });
  expect(refusal.data).toMatchObject({ code: 'BANNED' });
}, 120_000);

test('a damaged dump, or one without its checksum, is refused before the target is touched', async () => {
  const dumps = readdirSync(dir).filter((name) => name.endsWith('.dump'));
  expect(dumps.length).toBeGreaterThan(0);
  const damaged = path.join(dir, 'parley-20000101T000000Z.dump');
  const bytes = readFileSync(path.join(dir, dumps[0]!));
  const at = bytes.length - 10;
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(damaged, bytes);
  writeFileSync(`${damaged}.sha256`, readFileSync(path.join(dir, `${dumps[0]}.sha256`), 'utf8').replace(dumps[0]!, path.basename(damaged)));
  const target = await postgres.createDatabase('untouched');

  const mismatch = await npmRun('restore', [damaged], target);
  expect(mismatch.code).toBe(1);
  expect(mismatch.stderr).toContain('does not match');
  rmSync(`${damaged}.sha256`);
  const missing = await npmRun('restore', [damaged], target);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('--no-checksum');
  expect(await rowCounts(target)).toEqual({});
});

test('--clean replaces whatever the target holds with the dump', async () => {
  const [dump] = backups();
  const target = await postgres.createDatabase('stale');
  const client = new PgClient({ connectionString: target });
  await client.connect();
  await client.query('CREATE TABLE leftover (x int); INSERT INTO leftover VALUES (1)');
  await client.end();

  const cleaned = await npmRun('restore', [path.join(dir, dump!), '--clean'], target);
  succeeded(cleaned);
  expect(cleaned.stdout).toContain('dropped the public schema');
  expect(await rowCounts(target)).toEqual(await rowCounts(postgres.url));
});

test('a backup deletes the dumps in its folder older than --keep-days, and keeps the newer ones', async () => {
  const old = 'parley-20000101T000000Z.dump';
  writeFileSync(path.join(dir, old), 'old');
  writeFileSync(path.join(dir, `${old}.sha256`), 'old');
  const before = readdirSync(dir).filter((name) => name.endsWith('.dump') && name !== old);

  const backup = await npmRun('backup', ['--dir', dir, '--keep-days', '7'], postgres.url);
  succeeded(backup);
  expect(backup.stdout).toContain(`older than 7 days: ${old}`);
  const after = readdirSync(dir);
  expect(after).not.toContain(old);
  expect(after).not.toContain(`${old}.sha256`);
  expect(after.filter((name) => name.endsWith('.dump'))).toEqual(expect.arrayContaining(before));
});

test('--deletions-from deletes again, in the restored database, the identities the replaced database deleted after the dump', async () => {
  const { alice, bob } = friends;
  if (!alice || !bob) throw new Error('the first test did not make its contacts');
  const [dump] = backups();
  // After the dump, Bob deletes his identity on the database that is then lost.
  const node = await nodeOn(postgres.url, 'after-the-dump');
  const bobAgain = await connect(node.url, { token: bob.session.token });
  expect(await request(bobAgain, 'delete-identity', {})).toEqual({ ok: true });
  disconnectAll();
  await node.close();

  const target = await postgres.createDatabase('without_deleted');
  const restored = await npmRun('restore', [path.join(dir, dump!), '--deletions-from', postgres.url], target);
  succeeded(restored);
  expect(restored.stdout).toContain('deleted again 1 identity deleted after the dump');
  const client = new PgClient({ connectionString: target });
  await client.connect();
  try {
    const held = await client.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM contacts WHERE owner_id = $1 OR peer_id = $1)
        + (SELECT count(*) FROM direct_messages WHERE sender_id = $1 OR recipient_id = $1)
        + (SELECT count(*) FROM reports WHERE reporter_id = $1)
        + (SELECT count(*) FROM identity_standings WHERE user_id = $1) AS n`,
      [bob.session.userId],
    );
    expect(Number(held.rows[0]!.n)).toBe(0);
    const tombstone = await client.query('SELECT 1 FROM deleted_identities WHERE user_id = $1', [bob.session.userId]);
    expect(tombstone.rowCount).toBe(1);
  } finally {
    await client.end();
  }
  // Alice is untouched but for her contact with Bob; Bob's old token is a stranger's on a node there.
  const restoredNode = await nodeOn(target, 'restored-without-bob');
  const aliceThere = await connect(restoredNode.url, { token: alice.session.token });
  expect(aliceThere.session.userId).toBe(alice.session.userId);
  expect(await contactsOf(aliceThere)).toEqual([]);
  const bobThere = await connect(restoredNode.url, { token: bob.session.token });
  expect(bobThere.session.userId).not.toBe(bob.session.userId);
});
