/**
 * nginx's access log keeps no client address and no room code (docs/privacy.md):
 * the bare-metal rendering runs for real, takes requests for an invite link, a
 * private room's history with a query and a referrer, and Socket.IO, and the
 * log holds the masked paths only.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePortRange } from '../../testkit/ports';
import { eventually } from '../../testkit/eventually';
import { httpGet } from '../../testkit/http';
import { NGINX_BIN, readRepoFile, renderNginx } from './helpers';

const CODE = 'Zq8SecretInviteCode12';
let prefix: string;

beforeAll(() => {
  prefix = mkdtempSync(path.join(os.tmpdir(), 'parley-nginx-log-'));
});
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

test('both renderings log with the private format: no address, no query, no referrer, no user agent', () => {
  for (const conf of [readRepoFile('nginx/nginx.conf'), renderNginx(['--target', 'local', '--prefix', '/tmp/x'])]) {
    const format = /log_format parley_private ([^;]+);/.exec(conf)?.[1];
    expect(format).toBeDefined();
    for (const leak of ['$remote_addr', '$http_x_forwarded_for', '$request ', '$request"', '$request_uri', '$args', '$query_string', '$http_referer', '$http_user_agent', '$uri']) {
      expect({ leak, in: format!.includes(leak) }).toEqual({ leak, in: false });
    }
    const logs = [...conf.matchAll(/^\s*access_log\s+([^;]+);/gm)].map((m) => m[1]!.trim());
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) expect(log === 'off' || log.endsWith(' parley_private')).toBe(true);
  }
});

test('a running nginx logs invite links and room paths with the code masked, and no client address', async () => {
  for (const dir of ['conf', 'logs', 'temp']) mkdirSync(path.join(prefix, dir), { recursive: true });
  const [listen, upstream] = [await freePortRange(1), await freePortRange(1)];
  // The upstream port has nothing listening: nginx answers 502, and logs the request all the same.
  const conf = renderNginx(['--target', 'local', '--prefix', prefix, '--nodes', '1', '--base-port', String(upstream), '--listen', `127.0.0.1:${listen}`]);
  writeFileSync(path.join(prefix, 'conf', 'nginx.conf'), conf);
  const nginx = spawn(NGINX_BIN, ['-p', prefix, '-c', 'conf/nginx.conf', '-e', 'stderr'], { stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${listen}`;
    await eventually(async () => expect((await httpGet(`${base}/health`)).status).toBeGreaterThan(0), 10_000);
    for (const url of [`/r/${CODE}`, `/api/rooms/${CODE}`, `/api/rooms/${CODE}/messages?before=9&limit=5`, '/socket.io/?EIO=4&transport=polling&sid=abc', '/api/rooms']) {
      await httpGet(`${base}${url}`, undefined, undefined, { referer: `${base}/r/${CODE}`, 'user-agent': 'probe/1.0' });
    }
    const logFile = path.join(prefix, 'logs', 'access.log');
    const log = await eventually(() => {
      const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      expect(text.trim().split('\n')).toHaveLength(5);
      return text;
    }, 20_000);
    expect(log).not.toContain(CODE);
    expect(log).not.toContain('127.0.0.1');
    expect(log).not.toContain('sid=');
    expect(log).not.toContain('probe/1.0');
    const paths = log.trim().split('\n').map((line) => /"GET (\S+) HTTP/.exec(line)?.[1]);
    expect(paths).toEqual(['/r/-', '/api/rooms/-', '/api/rooms/-/messages', '/socket.io/', '/api/rooms']);
  } finally {
    nginx.kill('SIGTERM');
    await new Promise((resolve) => nginx.once('exit', resolve));
  }
});
