/**
 * `npm run migrate`: applies the pending PostgreSQL migrations to DATABASE_URL
 * and exits. Nodes do the same at start; this runs them ahead of a rollout.
 */
import pino from 'pino';
import { loadConfigOrExit } from './config';
import { migrate } from './store/postgres/migrate';
import { createPostgres } from './store/postgres/pool';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    process.stderr.write('parley: DATABASE_URL is not set; nothing to migrate\n');
    process.exit(1);
  }
  const logger = pino({ level: config.logLevel });
  const postgres = createPostgres({ url: config.databaseUrl, applicationName: 'parley:migrate', max: 1 }, logger);
  try {
    const applied = await migrate(postgres.pool, logger);
    process.stdout.write(
      applied.length > 0 ? `applied ${applied.length}: ${applied.join(', ')}\n` : 'schema is up to date\n',
    );
  } finally {
    await postgres.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`parley: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
