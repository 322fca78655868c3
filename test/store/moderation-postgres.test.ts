import pino from 'pino';
import { migrate } from '../../src/store/postgres/migrate';
import { StoreUnavailableError } from '../../src/errors';
import { createPostgresModerationStore } from '../../src/store/postgres/moderation-store';
import { createPostgres } from '../../src/store/postgres/pool';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { describeModerationStoreContract } from './moderation-store-contract';

let server: PostgresServer;
let databases = 0;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

describeModerationStoreContract('postgres', async () => {
  const postgres = createPostgres({ url: await server.createDatabase(`moderation_${++databases}`), applicationName: 'test' }, logger);
  await migrate(postgres.pool, logger);
  return { store: createPostgresModerationStore(postgres.pool), cleanup: () => postgres.close() };
});

test('reports, bans and standings answer UNAVAILABLE while PostgreSQL is away, never a bug\'s INTERNAL', async () => {
  const postgres = createPostgres({ url: await server.createDatabase(`moderation_${++databases}`), applicationName: 'test' }, logger);
  await migrate(postgres.pool, logger);
  const store = createPostgresModerationStore(postgres.pool);
  await postgres.close();
  await expect(store.reportQueue()).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(store.activeBans(1)).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(store.standings(['u'])).rejects.toBeInstanceOf(StoreUnavailableError);
  await expect(store.noteIdentity('u', 'h', 1)).rejects.toBeInstanceOf(StoreUnavailableError);
});
