/**
 * Prometheus metrics of one node (GET /metrics), labelled with its NODE_ID.
 * A registry per node, so several nodes in one process stay apart.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PostgresProbe } from './store/postgres/pool';
import { WAITING_ANY_LANGUAGE } from './store/match-pools';
import type { Counts, MatchStore } from './store/match-store';
import { languageBuckets } from './matchmaking/languages';

export interface Metrics {
  readonly registry: Registry;
  paired(waitsMs: readonly number[]): void;
  messageRelayed(): void;
  error(code: string): void;
  storeCommand(command: string, seconds: number): void;
}

/**
 * `searches`: how many searches this node runs. `postgres`: given with
 * DATABASE_URL, adds `parley_postgres_up`.
 */
export function createMetrics(
  nodeId: string,
  store: MatchStore,
  connections: () => number,
  postgres?: PostgresProbe,
  searches?: () => number,
  adapterReceived?: () => number,
): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ node_id: nodeId });
  // Includes event-loop lag (nodejs_eventloop_lag_*), heap and CPU. The lag
  // histogram keeps prom-client's 10 ms sampling: each sample includes the
  // sampling interval, so a coarser one would raise every lag figure by it.
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'parley_connections',
    help: 'Socket.IO connections on this node',
    registers: [registry],
    collect() {
      this.set(connections());
    },
  });
  if (searches) {
    new Gauge({
      name: 'parley_searches_running',
      help: 'Searches this node runs (each walks its pools until paired)',
      registers: [registry],
      collect() {
        this.set(searches());
      },
    });
  }
  // The gauges of one scrape are collected side by side and share one store
  // read, so they add up like /stats: waiting + chatting <= online.
  let reading: Promise<Counts | null> | null = null;
  const readCounts = (): Promise<Counts | null> =>
    (reading ??= store
      .counts()
      .catch(() => null)
      .finally(() => {
        reading = null;
      }));
  for (const [name, help, pick] of [
    ['parley_online_users', 'Users connected to any node, cluster-wide', 'online'],
    ['parley_waiting_users', 'Connected users searching, cluster-wide', 'waiting'],
    ['parley_chatting_users', 'Connected users in a chat, cluster-wide', 'chatting'],
    ['parley_away_users', 'Users whose chat waits for them in the resume grace, cluster-wide', 'away'],
  ] as const) {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        // Left at its last value while the store is unreachable.
        const counts = await readCounts();
        if (counts) this.set(counts[pick]);
      },
    });
  }
  new Gauge({
    name: 'parley_waiting_users_by_mode',
    help: 'Users searching per mode (find-match mode: text or video), cluster-wide; the two add up to parley_waiting_users',
    labelNames: ['mode'],
    registers: [registry],
    async collect() {
      const counts = await readCounts();
      if (!counts) return;
      this.set({ mode: 'text' }, counts.waiting - counts.waitingVideo);
      this.set({ mode: 'video' }, counts.waitingVideo);
    },
  });
  new Gauge({
    name: 'parley_waiting_users_by_language',
    help: 'Users searching per primary language, cluster-wide: the 20 most common, "other" for the rest, "any" for searches without languages (a user counts in each language it named)',
    labelNames: ['language'],
    registers: [registry],
    async collect() {
      // Left at its last values while the store is unreachable; languages
      // that left the 20 most common are dropped rather than kept stale.
      const counts = await store.waitingByLanguage().catch(() => null);
      if (!counts) return;
      this.reset();
      for (const [language, n] of Object.entries(languageBuckets(counts, WAITING_ANY_LANGUAGE))) this.set({ language }, n);
    },
  });
  new Gauge({
    name: 'parley_store_up',
    help: '1 when the store answers',
    registers: [registry],
    async collect() {
      this.set((await store.ping()) ? 1 : 0);
    },
  });
  if (postgres) {
    new Gauge({
      name: 'parley_postgres_up',
      help: '1 when PostgreSQL answers',
      registers: [registry],
      async collect() {
        this.set((await postgres.ping()) ? 1 : 0);
      },
    });
  }
  if (adapterReceived) {
    let counted = 0;
    new Counter({
      name: 'parley_adapter_messages_received_total',
      help: 'Pub/sub messages the Socket.IO adapter received from Redis (every emit with the classic adapter; only those for rooms with members here with the sharded one)',
      registers: [registry],
      collect() {
        const now = adapterReceived();
        this.inc(now - counted);
        counted = now;
      },
    });
  }
  const matches = new Counter({ name: 'parley_matches_total', help: 'Pairs formed by this node', registers: [registry] });
  const wait = new Histogram({
    name: 'parley_match_wait_seconds',
    help: 'Time from the start of a search to its pairing',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const messages = new Counter({ name: 'parley_messages_relayed_total', help: 'Messages relayed', registers: [registry] });
  const errors = new Counter({
    name: 'parley_errors_total',
    help: 'Errors answered to clients, by code',
    labelNames: ['code'],
    registers: [registry],
  });
  const commands = new Histogram({
    name: 'parley_store_command_seconds',
    help: 'Latency of store (Redis) operations',
    labelNames: ['command'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: [registry],
  });

  // One child per command, so an observation does not hash its labels.
  const byCommand = new Map<string, ReturnType<typeof commands.labels>>();
  const commandChild = (command: string) => {
    let child = byCommand.get(command);
    if (!child) byCommand.set(command, (child = commands.labels({ command })));
    return child;
  };

  return {
    registry,
    paired(waitsMs) {
      matches.inc();
      for (const ms of waitsMs) wait.observe(ms / 1000);
    },
    messageRelayed: () => messages.inc(),
    error: (code) => errors.inc({ code }),
    storeCommand: (command, seconds) => commandChild(command).observe(seconds),
  };
}
