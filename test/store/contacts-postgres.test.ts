import pino from 'pino';
import { createPostgres, type Postgres } from '../../src/store/postgres/pool';
import { migrate } from '../../src/store/postgres/migrate';
import { createPostgresContactsStore } from '../../src/store/postgres/contacts-store';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { describeContactsStoreContract } from './contacts-store-contract';

let server: PostgresServer;
let databases = 0;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

describeContactsStoreContract('postgres', async () => {
  const postgres: Postgres = createPostgres({ url: await server.createDatabase(`contacts_${++databases}`), applicationName: 'test' }, logger);
  await migrate(postgres.pool, logger);
  return { store: createPostgresContactsStore(postgres.pool), cleanup: () => postgres.close() };
});

test('two people creating the same pair at once get one relationship', async () => {
  const pg = createPostgres({ url: await server.createDatabase('contacts_race'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const store = createPostgresContactsStore(pg.pool);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2
          ? store.createPair({ ownerId: 'a', contactId: `a${i}`, nickname: 'A' }, { ownerId: 'b', contactId: `b${i}`, nickname: 'B' }, `p${i}`, 1, 10)
          : store.createPair({ ownerId: 'b', contactId: `b${i}`, nickname: 'B' }, { ownerId: 'a', contactId: `a${i}`, nickname: 'A' }, `p${i}`, 1, 10),
      ),
    );
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    expect(await store.list('a')).toHaveLength(1);
    expect(await store.list('b')).toHaveLength(1);
  } finally {
    await pg.close();
  }
});
