/**
 * A chaos run: three in-process nodes sharing one Redis, hundreds of agents
 * doing random things for a while, then a quiet period, then the checker.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createServer, type ParleyServer } from '../../src/server';
import type { Counts, UserRecord } from '../../src/store/match-store';
import { seededRandom } from '../fuzz/generator';
import { uniquePrefix } from '../../testkit/nodes';
import { startRedisCluster } from '../../testkit/redis-cluster';
import { startRedis } from '../../testkit/redis-server';
import { DeliveryChecker } from '../../testkit/delivery-checker';
import { Agent } from './agent';
import { FactLog } from './facts';
import { checkInvariants, type CheckResult } from './invariants';

export interface ChaosOptions {
  seconds: number;
  clients: number;
  seed: number;
  nodes?: number;
  /** `cluster`: the nodes share a Redis Cluster of 3 masters and 3 replicas instead of one Redis. */
  redis?: 'single' | 'cluster';
}

/** Short timers so a few seconds hold many chats, cooldowns, graces and fallbacks. */
export const CHAOS_ENV = {
  MATCH_COOLDOWN_MS: '200',
  REMATCH_WINDOW_MS: '600000',
  RESUME_GRACE_MS: '500',
  RANDOM_FALLBACK_MS: '300',
  MATCH_RATE_LIMIT: '100000',
  MESSAGE_RATE_LIMIT: '100000',
  TYPING_TIMEOUT_MS: '1000',
  // Every client comes from 127.0.0.1.
  MAX_CONNECTIONS_PER_IP: '100000',
  HANDSHAKE_RATE_LIMIT: '100000',
  NEW_IDENTITY_LIMIT: '100000',
  REPORT_ADDRESS_LIMIT: '100000',
  // Chaos clients do not accept rules, solve no proof of work, and all start rooms from one address.
  RULES_GATE: 'off',
  POW_DIFFICULTY: '0',
  ROOM_CREATE_PER_IP_LIMIT: '100000',
};

export interface ChaosReport extends CheckResult {
  options: ChaosOptions;
  durationMs: number;
  crashes: unknown[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function startChaosNode(env: Record<string, string>): Promise<{ url: string; server: ParleyServer }> {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env });
  // Heartbeats every second (a node is dead after 3 s of silence): a busy
  // two-core machine running hundreds of clients in this process must not
  // look like a dead node.
  const server = await createServer(config, { logger: pino({ level: process.env.PARLEY_TEST_LOG ?? 'silent' }), presenceIntervalMs: 1000 });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`, server };
}

export async function runChaos(options: ChaosOptions, log: (line: string) => void = () => undefined): Promise<ChaosReport> {
  const crashes: unknown[] = [];
  const onCrash = (err: unknown): void => void crashes.push(err);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const redis = options.redis === 'cluster' ? await startRedisCluster() : await startRedis();
  const env = {
    ...CHAOS_ENV,
    ...('setting' in redis ? { REDIS_CLUSTER_NODES: redis.setting } : { REDIS_URL: redis.url }),
    REDIS_PREFIX: uniquePrefix(),
    SESSION_SECRET: 'a-chaos-secret-of-enough-length',
  };
  const nodes: { url: string; server: ParleyServer }[] = [];
  const agents: Agent[] = [];
  try {
    for (let i = 0; i < (options.nodes ?? 3); i++) nodes.push(await startChaosNode({ ...env, NODE_ID: `chaos-${i + 1}` }));
    const facts = new FactLog();
    for (const node of nodes) facts.watch(node.server.config.nodeId, node.server.store);
    const urls = nodes.map((n) => n.url);
    const graceMs = Number(CHAOS_ENV.RESUME_GRACE_MS);
    const delivery = new DeliveryChecker();
    for (let i = 0; i < options.clients; i++) agents.push(new Agent(i, urls, seededRandom(options.seed * 7919 + i), graceMs, delivery));
    for (let i = 0; i < agents.length; i += 50) await Promise.all(agents.slice(i, i + 50).map((a) => a.open()));
    log(`${agents.length} clients connected to ${nodes.length} nodes; running ${options.seconds} s`);

    const started = Date.now();
    const deadline = started + options.seconds * 1000;
    const pace = seededRandom(options.seed);
    await Promise.all(
      agents.map(async (agent) => {
        await sleep(Math.floor(pace() * 200));
        while (Date.now() < deadline) {
          await agent.step();
          await sleep(20 + Math.floor(pace() * 180));
        }
      }),
    );
    const durationMs = Date.now() - started;

    // Quiet: nobody acts; graces run out, fallbacks pass, pending pairs form.
    // Then the state is read once nothing has happened for a while, and read
    // again if something happened during the read.
    const store = nodes[0]!.server.store;
    const settled = Date.now() + graceMs + 1000 + Number(CHAOS_ENV.RANDOM_FALLBACK_MS) + 1000;
    let endState = new Map<string, UserRecord>();
    let counts: Counts = { online: 0, waiting: 0, waitingVideo: 0, chatting: 0, away: 0 };
    for (let attempt = 0; attempt < 20; attempt++) {
      const before = facts.activity();
      await sleep(Math.max(1500, settled - Date.now()));
      if (facts.activity() !== before) continue;
      endState = new Map();
      for (const agent of agents) if (agent.userId) endState.set(agent.userId, await store.getUser(agent.userId));
      counts = await store.counts();
      if (facts.activity() === before) break;
    }
    log(`quiet after ${Date.now() - started - durationMs} ms`);
    // Every agent still in a chat closes it with a sync; an agent gone is owed what it kept.
    await Promise.all(agents.map((a) => a.finish()));
    delivery.endRun();

    const result = checkInvariants({
      agents,
      facts,
      endState,
      counts,
      cooldownMs: Number(CHAOS_ENV.MATCH_COOLDOWN_MS),
      randomFallbackMs: Number(CHAOS_ENV.RANDOM_FALLBACK_MS),
      rematchWindowMs: Number(CHAOS_ENV.REMATCH_WINDOW_MS),
      checkedAt: Date.now(),
      toleranceMs: 5,
      delivery: delivery.check(),
    });
    return { ...result, options, durationMs, crashes };
  } finally {
    for (const agent of agents) agent.close();
    await Promise.all(nodes.map((n) => n.server.close()));
    await redis.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}

/** The printed summary: figures, then each rule with its violations (a few examples each). */
export function formatReport(report: ChaosReport): string {
  const lines = [
    `chaos: ${report.options.clients} clients, ${report.options.nodes ?? 3} nodes, ${report.durationMs} ms, seed ${report.options.seed}`,
    ...Object.entries(report.stats).map(([k, v]) => `  ${k}: ${v}`),
    ...[...report.violations].flatMap(([rule, list]) => [
      `  ${list.length === 0 ? 'OK  ' : 'FAIL'} ${rule}${list.length ? ` (${list.length})` : ''}`,
      ...list.slice(0, 5).map((v) => `         ${v}`),
    ]),
    ...(report.crashes.length ? [`  CRASHES: ${report.crashes.map(String).join('; ')}`] : []),
  ];
  return lines.join('\n');
}
