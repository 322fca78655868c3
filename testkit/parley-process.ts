/**
 * parley nodes as processes of their own: the built dist/main.js on a
 * loopback port, tracked by PID in a ProcessGroup, ready once /health
 * answers 200. (testkit/nodes.ts runs nodes inside the calling process.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { httpGet } from './http';
import { MAIN_JS, ROOT } from './paths';
import { whenReady, type ProcessGroup, type Tracked } from './processes';

export interface ParleyProcess {
  /** NODE_ID, also the process's name in its group. */
  id: string;
  url: string;
  port: number;
  proc: Tracked;
  /** V8 inspector port, when started with `inspect`. */
  inspectPort?: number;
}

export interface ParleyProcessOptions {
  group: ProcessGroup;
  id: string;
  port: number;
  /** The node's environment; NODE_ID, PORT, HOST and PATH are set here. */
  env: Record<string, string>;
  /** Folder for --cpu-prof output; unset: no profiling. */
  cpuProfDir?: string;
  /** Open the V8 inspector on this loopback port. */
  inspectPort?: number;
  /** Open-file limit of the process (raised through prlimit, for tens of thousands of sockets). */
  maxFiles?: number;
  /** stdout and stderr go here, appended (default: only the last stderr lines are kept, for errors). */
  logFile?: string;
  /** How long the node may take to answer /health (default 15 s). */
  readyTimeoutMs?: number;
}

/**
 * The command that runs node with `args`, under a raised open-file limit when
 * `maxFiles` is set: prlimit execs node, so the PID stays node's.
 */
export function nodeCommand(args: string[], maxFiles: number | undefined): [string, string[]] {
  if (!maxFiles) return [process.execPath, args];
  return ['prlimit', [`--nofile=${maxFiles}:${maxFiles}`, '--', process.execPath, ...args]];
}

/** Spawns dist/main.js (build it first) and resolves once its /health answers 200. */
export async function startParleyProcess(options: ParleyProcessOptions): Promise<ParleyProcess> {
  const { id, port, inspectPort } = options;
  const execArgv: string[] = [];
  if (options.cpuProfDir) {
    mkdirSync(options.cpuProfDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, `--cpu-prof-name=${id}-${Date.now()}.cpuprofile`);
  }
  if (inspectPort) execArgv.push(`--inspect=127.0.0.1:${inspectPort}`);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...options.env,
    NODE_ID: id,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const log = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
  const [command, args] = nodeCommand([...execArgv, MAIN_JS], options.maxFiles);
  const proc = options.group.spawn(id, command, args, { env, cwd: ROOT, ...(log === undefined ? {} : { stdio: ['ignore', log, log] }) });
  const url = `http://127.0.0.1:${port}`;
  await whenReady(proc, `node ${id}`, async () => (await httpGet(`${url}/health`, undefined, 2000)).status === 200, options.readyTimeoutMs ?? 15_000);
  return { id, url, port, proc, inspectPort };
}

/** Builds dist/ when it is missing, so a fresh checkout runs the end-to-end tests. */
export function ensureBuilt(): void {
  if (existsSync(MAIN_JS)) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
