/**
 * A throwaway coturn TURN server on loopback for one test file: a free
 * listening port (UDP and TCP), a free range of relay ports, the TURN REST
 * API's shared secret (`use-auth-secret`), no TLS, no CLI, its own log, pid
 * and database files in a temp dir; relaying between loopback peers allowed
 * (without `--allow-loopback-peers` coturn refuses to relay to 127.0.0.1).
 * Resolves once it accepts TCP connections on its port; stopped by its PID.
 *
 * Its `turn:` URLs and secret are what TURN_URLS and TURN_SECRET take.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, freePortRange } from './ports';
import { ProcessGroup, whenReady, type Tracked } from './processes';

export interface Coturn {
  port: number;
  /** The shared secret (`static-auth-secret`): TURN_SECRET. */
  secret: string;
  realm: string;
  /** `turn:127.0.0.1:<port>?transport=udp` and `?transport=tcp`: TURN_URLS. */
  urls: string[];
  /** The log file, for a failing test to read. */
  logFile: string;
  pid: number;
  proc: Tracked;
  /** The log so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartCoturnOptions {
  /** Default: 32 random bytes, hex. */
  secret?: string;
  /** Relay ports to reserve (default 40: a few calls' worth). */
  relayPorts?: number;
  /** Tracks the process; default: a group of its own. */
  group?: ProcessGroup;
}

function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `turnserver` and resolves once it listens. */
export async function startCoturn(options: StartCoturnOptions = {}): Promise<Coturn> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-coturn-'));
  const port = await freePort();
  const relayPorts = options.relayPorts ?? 40;
  const minPort = await freePortRange(relayPorts, [port]);
  const secret = options.secret ?? randomBytes(32).toString('hex');
  const realm = 'parley.test';
  const logFile = path.join(dir, 'turn.log');
  const group = options.group ?? new ProcessGroup();
  const proc = group.spawn('turnserver', 'turnserver', [
    '-n',
    `--listening-ip=127.0.0.1`,
    `--relay-ip=127.0.0.1`,
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + relayPorts - 1}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--allow-loopback-peers',
    '--simple-log',
    `--log-file=${logFile}`,
    `--pidfile=${path.join(dir, 'turn.pid')}`,
    `--db=${path.join(dir, 'turndb')}`,
  ]);
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    await whenReady(proc, `turnserver on ${port}`, () => acceptsTcp(port), 10_000);
  } catch (err) {
    await group.stop(proc);
    removeDir();
    throw err;
  }
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    port,
    secret,
    realm,
    urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    logFile,
    pid: proc.pid,
    proc,
    log: readLog,
    stop: async () => {
      await group.stop(proc);
      removeDir();
    },
  };
}
