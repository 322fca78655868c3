/**
 * A throwaway PostgreSQL server for one test file or benchmark: a fresh
 * cluster in a temp dir on a free loopback port, trust authentication, no
 * fsync. initdb and postgres refuse to run as root, so as root every server
 * binary runs through `runuser -u postgres` in a dir owned by that user.
 *
 * Only Node built-ins here, so benchmarks can import it too.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const execFileAsync = promisify(execFile);

export interface PostgresServer {
  port: number;
  /** Connection URL of the database created at start (superuser, no password). */
  url: string;
  /** The temp dir: `data/`, the server log `log`, the Unix socket. */
  dir: string;
  /** Creates another empty database on this server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server at once (`pg_ctl -m immediate`), keeping its data: an outage. */
  halt(): Promise<void>;
  /** Starts the halted server again on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server if it runs and removes the temp dir. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Superuser and first database name (default `parley`). */
  user?: string;
  database?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

/** The newest installed server's bin dir, e.g. /usr/lib/postgresql/15/bin. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error('no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  }
  return path.join(root, versions[0]!, 'bin');
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server binary, as the postgres user when this process is root. */
async function run(bin: string, name: string, args: string[]): Promise<void> {
  const file = path.join(bin, name);
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    await execFileAsync(command, argv, { timeout: 60_000 });
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    throw new Error(`${name} ${args.join(' ')} failed: ${(stderr || stdout || String(err)).trim()}`);
  }
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Last resort when pg_ctl cannot stop the server: SIGKILL the PID in postmaster.pid. */
function killPostmaster(data: string): void {
  try {
    const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // Not running.
  }
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = options.user ?? 'parley';
  const database = options.database ?? 'parley';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-pg-'));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    // Durable against a process crash (halt) still: commits reach the kernel.
    fsync: 'off',
    ...options.settings,
  };
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  const pgCtl = (...args: string[]) => run(bin, 'pg_ctl', ['-D', data, ...args]);
  const start = () => pgCtl('-l', path.join(dir, 'log'), '-o', serverOptions, '-w', '-t', '30', 'start');
  let running = false;

  try {
    await run(bin, 'initdb', ['-D', data, '-U', user, '-A', 'trust', '--no-sync', '-E', 'UTF8', '--no-locale']);
    await start();
    running = true;
  } catch (err) {
    killPostmaster(data);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const urlOf = (name: string) => `postgres://${user}@127.0.0.1:${port}/${name}`;
  const createDatabase = async (name: string) => {
    await run(bin, 'createdb', ['-h', dir, '-p', String(port), '-U', user, name]);
    return urlOf(name);
  };
  const halt = async () => {
    if (!running) return;
    await pgCtl('-m', 'immediate', '-w', 'stop');
    running = false;
  };

  const server: PostgresServer = {
    port,
    url: urlOf(database),
    dir,
    createDatabase,
    halt,
    restart: async () => {
      if (running) return;
      await start();
      running = true;
    },
    stop: async () => {
      await halt().catch(() => killPostmaster(data));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await createDatabase(database);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
