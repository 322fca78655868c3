/**
 * Helpers shared by the deployment tests: paths, nginx rendering, free ports,
 * HTTP from a chosen loopback source address, and a retrying assertion.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLUSTER_SH = path.join(ROOT, 'deploy', 'cluster.sh');
export const NGINX_BIN = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

export const execFileAsync = promisify(execFile);

/** Runs deploy/render-nginx.js with the given arguments and returns the config. */
export function renderNginx(args: string[]): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'deploy', 'render-nginx.js'), ...args], {
    encoding: 'utf8',
  });
}

export function readRepoFile(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

/** Builds dist/ when it is missing, so a fresh checkout runs the end-to-end tests. */
export function ensureBuilt(): void {
  if (existsSync(path.join(ROOT, 'dist', 'main.js'))) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export { freePortRange } from '../helpers/ports';

export interface HttpResult {
  status: number;
  body: string;
}

/** GET over the given agent (which fixes the source address). */
export function httpGet(url: string, agent?: http.Agent, headers?: http.OutgoingHttpHeaders): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: 5000, ...(headers ? { headers } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

export async function getJson<T>(url: string, agent?: http.Agent, headers?: http.OutgoingHttpHeaders): Promise<T> {
  const { status, body } = await httpGet(url, agent, headers);
  if (status !== 200) throw new Error(`GET ${url}: ${status} ${body}`);
  return JSON.parse(body) as T;
}

/** Retries `assertion` until it stops throwing or `timeoutMs` passes. */
export async function eventually<T>(
  assertion: () => Promise<T> | T,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** True while a process with this PID exists (zombies count as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
