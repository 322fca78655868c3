/**
 * Helpers shared by the deployment tests: deploy/ paths, nginx rendering,
 * the built dist/, process liveness. Ports, HTTP and waiting are in testkit/.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { MAIN_JS, ROOT } from '../../testkit/paths';

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
  if (existsSync(MAIN_JS)) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
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
