import pino from 'pino';
import { StoreUnavailableError } from '../../src/errors';
import { createPostgres, type Postgres } from '../../src/store/postgres/pool';
import { migrate } from '../../src/store/postgres/migrate';
import { createRoomArchive } from '../../src/store/postgres/room-archive';
import { createPostgresRoomReads } from '../../src/store/postgres/room-reads';
import { createPostgresRoomBackstages } from '../../src/store/postgres/room-backstages';
import { describeRoomBackstagesContract } from './room-backstages-contract';
import { describeRoomReadsContract } from './room-reads-contract';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { describeRoomHistoryContract } from './rooms-store-contract';

let server: PostgresServer;
let postgres: Postgres;
let databases = 0;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

describeRoomHistoryContract('postgres', async () => {
  postgres = createPostgres({ url: await server.createDatabase(`rooms_${++databases}`), applicationName: 'test' }, logger);
  await migrate(postgres.pool, logger);
  const archive = createRoomArchive(postgres.pool);
  return {
    history: archive,
    seed: async (code, messages, deleted, edits = []) => {
      await archive.write(messages.map((message) => ({ kind: 'message', code, message })));
      await archive.write(deleted.map((seq) => ({ kind: 'delete', code, seq })));
      await archive.write(edits.map((edit) => ({ kind: 'edit', code, ...edit })));
    },
    cleanup: () => postgres.close(),
  };
});

describeRoomReadsContract('postgres', async () => {
  const pg = createPostgres({ url: await server.createDatabase(`reads_${++databases}`), applicationName: 'test' }, logger);
  await migrate(pg.pool, logger);
  return { reads: createPostgresRoomReads(pg.pool), cleanup: () => pg.close() };
});

describeRoomBackstagesContract('postgres', async () => {
  const pg = createPostgres({ url: await server.createDatabase(`backstages_${++databases}`), applicationName: 'test' }, logger);
  await migrate(pg.pool, logger);
  return { backstages: createPostgresRoomBackstages(pg.pool), cleanup: () => pg.close() };
});

test('backstage records answer UNAVAILABLE while PostgreSQL is away', async () => {
  const pg = createPostgres({ url: await server.createDatabase(`backstages_${++databases}`), applicationName: 'test' }, logger);
  await migrate(pg.pool, logger);
  const backstages = createPostgresRoomBackstages(pg.pool);
  await pg.close();
  await expect(backstages.open('main', 'stage')).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(backstages.invited('main', 'u')).rejects.toBeInstanceOf(StoreUnavailableError);
});

test('read positions answer UNAVAILABLE while PostgreSQL is away', async () => {
  const pg = createPostgres({ url: await server.createDatabase(`reads_${++databases}`), applicationName: 'test' }, logger);
  await migrate(pg.pool, logger);
  const reads = createPostgresRoomReads(pg.pool);
  await pg.close();
  await expect(reads.markRead('u', 'main', 3, 1)).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(reads.readSeq('u', 'main')).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(reads.forget('u')).rejects.toBeInstanceOf(StoreUnavailableError);
});

test('an edit written again, or after a later one, changes nothing; a deleted message takes no edit', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_edits'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const message = (seq: number) => ({ kind: 'message' as const, code: 'r', message: { seq, id: `m${seq}`, from: 'a', name: 'Ann', text: `t${seq}`, sentAt: 5 } });
    const edit = (seq: number, text: string, editedAt: number) => ({ kind: 'edit' as const, code: 'r', seq, text, editedAt });
    await archive.write([message(1), message(2), edit(1, 'later', 20), { kind: 'delete', code: 'r', seq: 2 }]);
    await archive.write([edit(1, 'earlier', 10), edit(2, 'too late', 30)]);
    await archive.write([edit(1, 'later', 20)]);
    const page = await archive.history('r', { limit: 10, notBefore: 0 });
    expect(page.messages.map((m) => [m.seq, m.text, m.editedAt])).toEqual([[1, 'later', 20]]);
  } finally {
    await pg.close();
  }
});

test('writing the same events twice changes nothing', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_twice'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const room = { code: 'r', title: 'R', topic: null, visibility: 'public' as const, createdAt: 1, hostId: null };
    const message = { seq: 1, id: 'm1', from: 'a', name: 'Ann', text: 'hi', sentAt: 5 };
    const events = [{ kind: 'room' as const, room }, { kind: 'message' as const, code: 'r', message }];
    await archive.write(events);
    await archive.write(events);
    const { rows } = await pg.pool.query<{ n: string }>('SELECT count(*) AS n FROM room_messages');
    expect(rows[0]!.n).toBe('1');
    expect((await archive.history('r', { limit: 10, notBefore: 0 })).messages).toEqual([message]);
  } finally {
    await pg.close();
  }
});

test('one batch keeps its order: messages, a repeat of one of them, a delete, then more messages', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_batch'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const room = { code: 'b', title: 'B', topic: null, visibility: 'public' as const, createdAt: 1, hostId: null };
    const message = (seq: number) => ({ seq, id: `m${seq}`, from: 'a', name: 'Ann', text: `text ${seq}`, sentAt: 10 + seq, replyTo: seq > 1 ? seq - 1 : undefined });
    const plain = (seq: number) => {
      const { replyTo, ...rest } = message(seq);
      return replyTo === undefined ? rest : { ...rest, replyTo };
    };
    await archive.write([
      { kind: 'room', room },
      ...[1, 2, 3].map((seq) => ({ kind: 'message' as const, code: 'b', message: plain(seq) })),
      { kind: 'message', code: 'b', message: plain(2) },
      { kind: 'delete', code: 'b', seq: 2 },
      ...[4, 5].map((seq) => ({ kind: 'message' as const, code: 'b', message: plain(seq) })),
    ]);
    const page = await archive.history('b', { limit: 10, notBefore: 0 });
    expect(page.messages).toEqual([1, 3, 4, 5].map(plain));
  } finally {
    await pg.close();
  }
});

test('retention: purge deletes messages sent before the cutoff and rooms left without any; deleted messages keep no text', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_purge'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const room = (code: string) => ({ kind: 'room' as const, room: { code, title: code, topic: null, visibility: 'public' as const, createdAt: 1, hostId: 'u' } });
    const message = (code: string, seq: number, sentAt: number) => ({
      kind: 'message' as const,
      code,
      message: { seq, id: `${code}${seq}`, from: 'a', name: 'Ann', text: `secret ${seq}`, sentAt },
    });
    await archive.write([room('old'), message('old', 1, 100), room('mixed'), message('mixed', 1, 100), message('mixed', 2, 5000)]);
    await archive.write([message('mixed', 3, 6000), { kind: 'delete', code: 'mixed', seq: 3 }]);
    expect(await archive.purge(1000)).toBe(2);
    const { rows: rooms } = await pg.pool.query<{ code: string }>('SELECT code FROM rooms ORDER BY code');
    expect(rooms.map((r) => r.code)).toEqual(['mixed']);
    const { rows } = await pg.pool.query<{ seq: string; text: string; name: string }>('SELECT seq, text, name FROM room_messages ORDER BY seq');
    expect(rows).toEqual([
      { seq: '2', text: 'secret 2', name: 'Ann' },
      { seq: '3', text: '', name: '' },
    ]);
    expect(await archive.purge(1000)).toBe(0);
  } finally {
    await pg.close();
  }
});

test('a removal read from the log takes the room away after the changes logged before it, in the same batch', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_gone'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const room = (code: string) => ({ kind: 'room' as const, room: { code, title: code, topic: null, visibility: 'public' as const, createdAt: 1, hostId: 'u' } });
    const message = (code: string, seq: number) => ({ kind: 'message' as const, code, message: { seq, id: `${code}${seq}`, from: 'a', name: 'Ann', text: 'hi', sentAt: 5 } });
    // The operator's removal reached PostgreSQL first; the log still held the room's last changes, then the removal.
    await archive.write([room('gone'), message('gone', 1), room('kept'), message('kept', 1)]);
    await archive.remove('gone');
    await archive.write([message('gone', 2), { kind: 'pin', code: 'gone', pin: { seq: 2, until: null, pinnedAt: 6, by: 'u', name: 'Ann', text: 'hi' } }, { kind: 'gone', code: 'gone' }, message('kept', 2)]);
    const { rows } = await pg.pool.query<{ room_code: string; n: string }>('SELECT room_code, count(*) AS n FROM room_messages GROUP BY room_code');
    expect(rows).toEqual([{ room_code: 'kept', n: '2' }]);
    expect((await pg.pool.query('SELECT 1 FROM room_pins')).rowCount).toBe(0);
    expect((await pg.pool.query("SELECT code FROM rooms")).rows).toEqual([{ code: 'kept' }]);
  } finally {
    await pg.close();
  }
});

test('read positions go with their room: at once when it is removed, and by the retention purge once it is gone', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_reads_retention'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const reads = createPostgresRoomReads(pg.pool);
    const room = (code: string) => ({ kind: 'room' as const, room: { code, title: code, topic: null, visibility: 'public' as const, createdAt: 1, hostId: 'u' } });
    const message = (code: string, sentAt: number) => ({ kind: 'message' as const, code, message: { seq: 1, id: `${code}1`, from: 'a', name: 'Ann', text: 'hi', sentAt } });
    await archive.write([room('live'), message('live', 5000), room('quiet'), message('quiet', 100), room('closed'), message('closed', 5000)]);
    for (const code of ['live', 'quiet', 'closed']) await reads.markRead('a', code, 1, 200);
    // A position in a room whose row is not archived yet, moved after the cutoff: kept.
    await reads.markRead('a', 'arriving', 1, 2000);
    await archive.remove('closed');
    expect(await reads.readSeq('a', 'closed')).toBe(0);
    // The purge removes the quiet room (no message left after the cutoff), then its positions.
    await archive.purge(1000);
    const { rows } = await pg.pool.query<{ room_code: string }>('SELECT room_code FROM room_reads ORDER BY room_code');
    expect(rows.map((r) => r.room_code)).toEqual(['arriving', 'live']);
  } finally {
    await pg.close();
  }
});

test('co-hosts, mutes, settings and message kinds are recorded from the log and read back', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_moderation'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const room = { code: 'm', title: 'M', topic: null, visibility: 'private' as const, createdAt: 1, hostId: 'h' };
    await archive.write([
      { kind: 'room', room },
      { kind: 'role', code: 'm', userId: 'a', role: 'cohost' },
      { kind: 'role', code: 'm', userId: 'b', role: 'cohost' },
      { kind: 'role', code: 'm', userId: 'b', role: 'member' },
      { kind: 'mute', code: 'm', userId: 'c', until: 5000 },
      { kind: 'mute', code: 'm', userId: 'd', until: 9000 },
      { kind: 'mute', code: 'm', userId: 'd', until: 0 },
      { kind: 'mute', code: 'm', userId: 'e', until: 100 },
      { kind: 'settings', code: 'm', settings: { slowModeS: 10, description: 'About', rules: null } },
      { kind: 'message', code: 'm', message: { seq: 1, id: 'm1', from: 'h', name: 'Hana', text: 'hello', sentAt: 10, kind: 'host' } },
      { kind: 'message', code: 'm', message: { seq: 2, id: 'm2', from: '', name: '', text: 'Ann is now a co-host.', sentAt: 11, kind: 'system' } },
      { kind: 'message', code: 'm', message: { seq: 3, id: 'm3', from: 'a', name: 'Ann', text: 'hi', sentAt: 12 } },
    ]);
    expect(await archive.moderation('m', 1000)).toEqual({
      cohosts: ['a'],
      mutes: [{ userId: 'c', until: 5000 }],
      settings: { slowModeS: 10, description: 'About', rules: null },
    });
    expect((await archive.history('m', { limit: 10, notBefore: 0 })).messages.map((m) => m.kind ?? 'member')).toEqual(['host', 'system', 'member']);
    // The retention purge drops mutes that ended before its cutoff.
    await archive.purge(1000);
    expect((await archive.moderation('m', 0)).mutes).toEqual([{ userId: 'c', until: 5000 }]);
    await archive.remove('m');
    expect(await archive.moderation('m', 0)).toEqual({ cohosts: [], mutes: [], settings: null });
  } finally {
    await pg.close();
  }
});

test('pins and reactions written from the log are PostgreSQL’s record: pins in force, and reactions on history pages', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_marks'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const message = (seq: number) => ({ seq, id: `m${seq}`, from: 'a', name: 'Ann', text: `text ${seq}`, sentAt: 10 + seq });
    const pin = (seq: number, until: number | null) => ({ seq, until, pinnedAt: seq, by: 'Host', name: 'Ann', text: `text ${seq}` });
    const react = (seq: number, emoji: string, userId: string, on = true) => ({ kind: 'react' as const, code: 'p', seq, emoji, userId, on });
    const events = [
      ...[1, 2, 3].map((seq) => ({ kind: 'message' as const, code: 'p', message: message(seq) })),
      { kind: 'pin' as const, code: 'p', pin: pin(1, 100) },
      { kind: 'pin' as const, code: 'p', pin: pin(2, null) },
      { kind: 'pin' as const, code: 'p', pin: pin(3, null) },
      { kind: 'unpin' as const, code: 'p', seq: 3 },
      react(1, '👍', 'a'),
      react(1, '🎉', 'b'),
      react(1, '👍', 'b'),
      react(2, '👍', 'a'),
      react(2, '👍', 'a', false),
      react(3, '😂', 'a'),
      { kind: 'delete' as const, code: 'p', seq: 3 },
    ];
    // Written twice (a retried batch): the same record.
    await archive.write(events);
    await archive.write(events);
    expect((await archive.pins('p', 99)).map((p) => p.seq)).toEqual([1, 2]);
    expect(await archive.pins('p', 100)).toEqual([pin(2, null)]);
    const page = await archive.history('p', { limit: 10, notBefore: 0 });
    expect(page.messages.map((m) => [m.seq, m.reactions])).toEqual([
      [1, [['👍', ['a', 'b']], ['🎉', ['b']]]],
      [2, undefined],
    ]);
    const { rows } = await pg.pool.query<{ n: string }>("SELECT count(*) AS n FROM room_reactions WHERE seq = 3");
    expect(rows[0]!.n).toBe('0');
  } finally {
    await pg.close();
  }
});

test('the archive keeps a message’s kind, mentions, edit and reactions together, written in one batch or one by one', async () => {
  const pg = createPostgres({ url: await server.createDatabase('rooms_together'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const archive = createRoomArchive(pg.pool);
    const events = [
      { kind: 'message' as const, code: 't', message: { seq: 1, id: 'm1', from: 'h', name: 'Hana', text: 'hi @Bo', sentAt: 5, kind: 'host' as const, mentions: ['Bo'] } },
      { kind: 'react' as const, code: 't', seq: 1, emoji: '👍', userId: 'b', on: true },
      { kind: 'edit' as const, code: 't', seq: 1, text: 'hello @Bo', editedAt: 9, mentions: ['Bo'] },
      { kind: 'message' as const, code: 't', message: { seq: 2, id: 'm2', from: '', name: '', text: 'Slow mode is off.', sentAt: 6, kind: 'system' as const } },
      { kind: 'edit' as const, code: 't', seq: 1, text: 'hello', editedAt: 10 },
    ];
    await archive.write(events);
    for (const event of events) await archive.write([event]);
    const page = await archive.history('t', { limit: 10, notBefore: 0 });
    expect(page.messages).toEqual([
      expect.objectContaining({ seq: 1, kind: 'host', text: 'hello', editedAt: 10, reactions: [['👍', ['b']]] }),
      expect.objectContaining({ seq: 2, kind: 'system', text: 'Slow mode is off.' }),
    ]);
    expect(page.messages[0]!.mentions).toBeUndefined();
    expect(page.messages[1]!.editedAt).toBeUndefined();
  } finally {
    await pg.close();
  }
});
