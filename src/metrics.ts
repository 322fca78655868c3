/**
 * Prometheus metrics of one node (GET /metrics), labelled with its NODE_ID.
 * A registry per node, so several nodes in one process stay apart.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PostgresProbe } from './store/postgres/pool';
import { WAITING_ANY_LANGUAGE } from './store/match-pools';
import type { MatchStore } from './store/match-store';
import type { ReportQueue } from './store/moderation-store';
import { languageBuckets } from './matchmaking/languages';
import type { StreamRef } from './protocol';

export interface Metrics {
  readonly registry: Registry;
  paired(waitsMs: readonly number[]): void;
  /** A message was accepted in a stream: the one-to-one chat, a topic room or a direct-message conversation. */
  messageRelayed(stream: StreamKind): void;
  error(code: string): void;
  storeCommand(command: string, seconds: number): void;
  /** A report was stored (not one answered with the reporter's open report). */
  reported(kind: string): void;
  /** An operator banned an identity or an address. */
  banned(kind: string): void;
  /** Enough independent reporters suspended a user. */
  suspended(): void;
}

export type StreamKind = StreamRef['kind'];

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
  // One store read for the four, so they add up like /stats: waiting + chatting <= online.
  const readCounts = sharedRead(() => store.counts());
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
  const counter = (name: string, help: string, label?: string) =>
    new Counter({ name, help, labelNames: label ? [label] : [], registers: [registry] });
  const matches = counter('parley_matches_total', 'Pairs formed by this node');
  const wait = new Histogram({
    name: 'parley_match_wait_seconds',
    help: 'Time from the start of a search to its pairing',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const messages = counter('parley_messages_relayed_total', 'Messages accepted, by stream: chat (one-to-one), room, dm', 'stream');
  const reports = counter('parley_reports_total', 'Reports stored by this node, by kind', 'kind');
  const bans = counter('parley_bans_total', 'Bans made through this node, by kind: identity, ip', 'kind');
  const suspensions = counter('parley_suspensions_total', 'Users suspended by this node after enough independent reports');
  const errors = counter('parley_errors_total', 'Errors answered to clients, by code', 'code');
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
    messageRelayed: (stream) => messages.inc({ stream }),
    error: (code) => errors.inc({ code }),
    storeCommand: (command, seconds) => commandChild(command).observe(seconds),
    reported: (kind) => reports.inc({ kind }),
    banned: (kind) => bans.inc({ kind }),
    suspended: () => suspensions.inc(),
  };
}

/**
 * The gauges of one scrape are collected side by side: those reading the same
 * figures share one read. Null when the read failed (the gauges keep their
 * last value).
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T | null> {
  let reading: Promise<T | null> | null = null;
  return () =>
    (reading ??= read()
      .catch(() => null)
      .finally(() => {
        reading = null;
      }));
}

/** What the operations gauges read at each scrape. */
export interface OperationsSources {
  /** Nodes heard from within the node TTL (the cluster's heartbeat). */
  clusterNodes: () => Promise<number>;
  /** Reports waiting for review. */
  reportQueue: () => Promise<ReportQueue>;
  /** How far this node's archive writer is behind, ms; absent without PostgreSQL. */
  archiveLagMs?: () => number;
  /** The time, epoch ms. */
  now: () => number;
}

/**
 * The gauges an operator alerts on beside the user-facing ones: the nodes in
 * the cluster's heartbeat, the moderation queue and the archive lag. Each is
 * left at its last value while the store it reads is unreachable.
 */
export function addOperationsGauges(registry: Registry, sources: OperationsSources): void {
  new Gauge({
    name: 'parley_cluster_nodes',
    help: 'Nodes in the cluster heartbeat (heard from within the node TTL), as this node reads the registry',
    registers: [registry],
    async collect() {
      const nodes = await sources.clusterNodes().catch(() => null);
      if (nodes !== null) this.set(nodes);
    },
  });
  const readQueue = sharedRead(() => sources.reportQueue());
  new Gauge({
    name: 'parley_reports_open',
    help: 'Reports waiting for review, cluster-wide',
    registers: [registry],
    async collect() {
      const read = await readQueue();
      if (read) this.set(read.open);
    },
  });
  new Gauge({
    name: 'parley_reports_oldest_open_age_seconds',
    help: 'Age of the oldest report waiting for review, cluster-wide (0 when none waits)',
    registers: [registry],
    async collect() {
      const read = await readQueue();
      if (read) this.set(read.oldestAt === null ? 0 : Math.max(0, sources.now() - read.oldestAt) / 1000);
    },
  });
  const { archiveLagMs } = sources;
  if (archiveLagMs) {
    new Gauge({
      name: 'parley_archive_lag_seconds',
      help: "Time since this node's archive writer last wrote every room change waiting for PostgreSQL",
      registers: [registry],
      collect() {
        this.set(archiveLagMs() / 1000);
      },
    });
  }
}
