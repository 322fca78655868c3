/**
 * Helpers shared by the deployment tests: nginx rendering and repository
 * files. Ports, HTTP, waiting and the cluster.sh cluster are in testkit/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../testkit/paths';

export const NGINX_BIN = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

/** Runs deploy/render-nginx.js with the given arguments and returns the config. */
export function renderNginx(args: string[]): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'deploy', 'render-nginx.js'), ...args], {
    encoding: 'utf8',
  });
}

export function readRepoFile(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}
