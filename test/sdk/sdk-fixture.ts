/**
 * Two real parley nodes on one Redis (and PostgreSQL when contacts are
 * wanted: DMs between nodes need the shared contacts store) for the SDK's
 * tests, SDK clients closed after each test, and waiting for an SDK event.
 */
import { connect, type ClientEvents, type ClientOptions, type ParleyClient } from '@parley/client';
import { TEST_SECRET } from '../helpers/cluster-fixture';
import { startCluster, stopAll, uniquePrefix, type RunningNode } from '../../testkit/nodes';
import { startPostgres, type PostgresServer } from '../../testkit/postgres-server';
import { startRedis, type RedisServer } from '../../testkit/redis-server';

export interface SdkFixture {
  urls: string[];
  nodes: RunningNode[];
  /** A client of node `i` (0 or 1), closed after the test. */
  client(i: number, options?: ClientOptions): ParleyClient;
}

export function useSdkCluster(env: Record<string, string> = {}, options: { postgres?: boolean } = {}): SdkFixture {
  let redis: RedisServer | undefined;
  let postgres: PostgresServer | undefined;
  const open = new Set<ParleyClient>();
  const fixture: SdkFixture = {
    urls: [],
    nodes: [],
    client(i, clientOptions = {}) {
      const client = connect(fixture.urls[i]!, { transports: ['websocket'], reconnectionDelayMs: 100, reconnectionDelayMaxMs: 1000, ...clientOptions });
      open.add(client);
      return client;
    },
  };
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), options.postgres ? startPostgres() : undefined]);
    fixture.nodes = await startCluster(2, {
      REDIS_URL: redis.url,
      REDIS_PREFIX: uniquePrefix(),
      SESSION_SECRET: TEST_SECRET,
      MATCH_COOLDOWN_MS: '0',
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
      ...env,
    });
    fixture.urls = fixture.nodes.map((node) => node.url);
  }, 60_000);
  afterEach(async () => {
    await Promise.all([...open].map((client) => client.close()));
    open.clear();
  });
  afterAll(async () => {
    await stopAll(fixture.nodes);
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });
  return fixture;
}

/** Resolves with the next `event` of the client that passes `match` (rejects after `timeoutMs`). */
export function nextEvent<E extends keyof ClientEvents>(
  client: ParleyClient,
  event: E,
  match: (...args: Parameters<ClientEvents[E]>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Parameters<ClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const listener = ((...args: Parameters<ClientEvents[E]>) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args[0]);
    }) as ClientEvents[E];
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no "${String(event)}" within ${timeoutMs} ms`));
    }, timeoutMs);
    client.on(event, listener);
  });
}

/** Everything `event` delivers to the client from now on. */
export function recordEvents<E extends keyof ClientEvents>(client: ParleyClient, event: E): Parameters<ClientEvents[E]>[0][] {
  const seen: Parameters<ClientEvents[E]>[0][] = [];
  client.on(event, ((payload: Parameters<ClientEvents[E]>[0]) => void seen.push(payload)) as unknown as ClientEvents[E]);
  return seen;
}

let topics = 0;

/** Pairs two clients through a topic no other test uses; resolves with the chat's id. */
export async function pair(a: ParleyClient, b: ParleyClient): Promise<string> {
  const topic = `sdk${process.pid}x${++topics}`;
  const matched = Promise.all([nextEvent(a, 'matched'), nextEvent(b, 'matched')]);
  await a.findMatch({ interests: [topic] });
  await b.findMatch({ interests: [topic] });
  const [ma, mb] = await matched;
  expect(ma.roomId).toBe(mb.roomId);
  return ma.roomId;
}
