/**
 * A `deploy/cluster.sh` cluster (Redis, PostgreSQL, parley nodes, nginx) on
 * free ports in a run dir of its own, for the end-to-end tests; torn down by
 * `cluster.sh down` and, for any survivor, by PID.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './paths';
import { freePortRange } from './ports';
import { processAlive } from './processes';

const CLUSTER_SH = path.join(ROOT, 'deploy', 'cluster.sh');
const execFileAsync = promisify(execFile);

export interface Cluster {
  runDir: string;
  nginxUrl: string;
  redisPort: number;
  postgresPort: number;
  /** URL of node-i (1-based). */
  nodeUrl(i: number): string;
  pids(): Record<string, number>;
  sh(command: 'up' | 'down' | 'status'): Promise<{ stdout: string; stderr: string }>;
}

/** Free ports and the environment of one `cluster.sh` run in `runDir`. */
export async function clusterOnFreePorts(
  runDir: string,
  nodes: number,
  env: Record<string, string>,
): Promise<Cluster> {
  const redisPort = await freePortRange(1);
  const postgresPort = await freePortRange(1, [redisPort]);
  const nginxPort = await freePortRange(1, [redisPort, postgresPort]);
  const basePort = await freePortRange(nodes, [redisPort, postgresPort, nginxPort]);
  const clusterEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODES: String(nodes),
    BASE_PORT: String(basePort),
    NGINX_PORT: String(nginxPort),
    REDIS_PORT: String(redisPort),
    PG_PORT: String(postgresPort),
    RUN_DIR: runDir,
    UP_TIMEOUT_S: '30',
    STOP_TIMEOUT_S: '10',
    LOG_LEVEL: 'warn',
    // Test clients do not show rules or solve proof of work (the product defaults ask for both), and all
    // come from loopback (past the per-address budget for new identities).
    RULES_GATE: 'off',
    POW_DIFFICULTY: '0',
    NEW_IDENTITY_LIMIT: '100000',
    ...env,
  };
  // cluster.sh makes its own secret and runs its own PostgreSQL.
  delete clusterEnv.SESSION_SECRET;
  delete clusterEnv.DATABASE_URL;
  return {
    runDir,
    redisPort,
    postgresPort,
    nginxUrl: `http://127.0.0.1:${nginxPort}`,
    nodeUrl: (i) => `http://127.0.0.1:${basePort + i - 1}`,
    pids: () => readPids(runDir),
    sh: (command) => execFileAsync('bash', [CLUSTER_SH, command], { env: clusterEnv, timeout: 60_000 }),
  };
}

/** The PIDs cluster.sh wrote into `runDir`/pids, by name (none when it has none). */
export function readPids(runDir: string): Record<string, number> {
  const dir = path.join(runDir, 'pids');
  try {
    return Object.fromEntries(
      readdirSync(dir)
        .filter((file) => file.endsWith('.pid'))
        .map((file) => [file.slice(0, -4), Number(readFileSync(path.join(dir, file), 'utf8'))]),
    );
  } catch {
    return {};
  }
}

/** Stops what is left with `cluster.sh down`, then SIGKILLs any survivor by PID. */
export async function tearDown(cluster: Cluster | undefined, pids: Record<string, number>): Promise<void> {
  if (!cluster) return;
  await cluster.sh('down').catch(() => undefined);
  for (const pid of Object.values(pids)) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
}
