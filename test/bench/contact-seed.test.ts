import pino from 'pino';
import { createPostgresContactsStore } from '../../src/store/postgres/contacts-store';
import { migrate } from '../../src/store/postgres/migrate';
import { createPostgres } from '../../src/store/postgres/pool';
import { seedContactRing } from '../helpers/contact-seed';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

test('the seeded ring gives every user its contacts, each side knowing the other through its own id', async () => {
  const logger = pino({ level: 'silent' });
  const pg = createPostgres({ url: await server.createDatabase('seed_ring'), applicationName: 'test' }, logger);
  try {
    await migrate(pg.pool, logger);
    const users = Array.from({ length: 12 }, (_, i) => `user${i}`);
    const seeded = await seedContactRing(pg.pool, users, 4);
    const store = createPostgresContactsStore(pg.pool);
    for (const [i, contacts] of seeded.entries()) {
      expect(contacts).toHaveLength(4);
      expect(await store.list(users[i]!)).toHaveLength(4);
      for (const c of contacts) {
        const record = await store.get(users[i]!, c.contactId);
        expect(record).toMatchObject({ peerId: users[c.peer] });
        expect(seeded[c.peer]!.map((x) => x.contactId)).toContain(record!.peerContactId);
      }
    }
  } finally {
    await pg.close();
  }
});
