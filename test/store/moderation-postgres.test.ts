import pino from 'pino';
import { migrate } from '../../src/store/postgres/migrate';
import { PostgresModerationStore } from '../../src/store/postgres/moderation-store';
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
  return { store: new PostgresModerationStore(postgres.pool), cleanup: () => postgres.close() };
});
