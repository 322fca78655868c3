#!/usr/bin/env node
// Renders nginx/nginx.conf.template for one of two targets and prints it.
//
//   node deploy/render-nginx.js --target compose [--nodes 3] [--metrics-allow CIDR,...]
//     Upstreams node1:3001 ... (docker compose service names), listen 80.
//     `node deploy/render-nginx.js --target compose > nginx/nginx.conf`
//     regenerates the file docker-compose.yml mounts.
//
//   node deploy/render-nginx.js --target local --prefix DIR [--nodes 3]
//       [--base-port 3101] [--listen 127.0.0.1:8080] [--metrics-allow CIDR,...]
//     Upstreams 127.0.0.1:BASE_PORT ..., nginx in the foreground with its pid,
//     logs and temp files inside DIR (an absolute path). Used by deploy/cluster.sh.
//
// --metrics-allow exposes /metrics through nginx to the listed addresses only;
// without it nginx answers 404 for /metrics.
//
// Both targets also take --worker-processes N|auto (default auto) and
// --worker-connections N (default 4096; each user holds two: client and
// upstream); worker_rlimit_nofile is worker_connections + 1024. --target local
// takes --reuseport on|off (default off): one listening socket per worker, so
// the kernel spreads new connections evenly over the workers instead of
// whichever worker wakes first taking most of them.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const TEMPLATE = path.join(__dirname, '..', 'nginx', 'nginx.conf.template');
const USAGE = 'usage: render-nginx.js --target compose|local [--nodes N] [--base-port P] ' +
  '[--listen ADDR] [--prefix DIR] [--metrics-allow CIDR,...] [--worker-processes N|auto] ' +
  '[--worker-connections N] [--reuseport on|off]';

/** Files a worker keeps besides its connections: logs, listeners, temp files. */
const WORKER_FILE_MARGIN = 1024;

function fail(message) {
  process.stderr.write(`render-nginx: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag.startsWith('--') || value === undefined) fail(`bad argument ${flag}`);
    options[flag.slice(2)] = value;
  }
  return options;
}

function positiveInt(value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`--${name} must be a positive integer`);
  return n;
}

function indent(lines, spaces) {
  const pad = ' '.repeat(spaces);
  return lines.map((line) => (line ? pad + line : line)).join('\n');
}

function upstreamServers(hosts) {
  return indent(hosts.map((host) => `server ${host} max_fails=2 fail_timeout=10s;`), 8);
}

function metricsLocation(allow) {
  const location = 'location ~* ^/metrics(/|$)';
  if (!allow) {
    // Without this block /metrics would fall through to "location /" and be
    // proxied. The regex also catches /metrics/ and /METRICS, which Express
    // routes to the same handler.
    return indent([`${location} {`, '    return 404;', '}'], 8);
  }
  const cidrs = allow.split(',').map((s) => s.trim()).filter(Boolean);
  if (cidrs.length === 0) fail('--metrics-allow needs at least one address');
  for (const cidr of cidrs) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(cidr)) fail(`bad --metrics-allow entry ${cidr}`);
  }
  return indent([
    `${location} {`,
    ...cidrs.map((cidr) => `    allow ${cidr};`),
    '    deny all;',
    '    proxy_pass http://parley_nodes;',
    '    proxy_read_timeout 10s;',
    '}',
  ], 8);
}

function workerValues(options) {
  const processes = options['worker-processes'] ?? 'auto';
  if (processes !== 'auto' && !(/^\d+$/.test(processes) && Number(processes) >= 1 && Number(processes) <= 1024)) {
    fail('--worker-processes must be auto or a number from 1 to 1024');
  }
  const connections = Number(options['worker-connections'] ?? '4096');
  if (!Number.isInteger(connections) || connections < 64 || connections > 1_000_000) {
    fail('--worker-connections must be a whole number from 64 to 1000000');
  }
  return {
    WORKER_PROCESSES: processes,
    WORKER_CONNECTIONS: String(connections),
    WORKER_RLIMIT_NOFILE: String(connections + WORKER_FILE_MARGIN),
  };
}

function composeValues(options) {
  const nodes = positiveInt(options.nodes ?? '3', 'nodes');
  const hosts = Array.from({ length: nodes }, (_, i) => `node${i + 1}:3001`);
  return {
    ...workerValues(options),
    MAIN_DIRECTIVES: [
      '# Workers run as the unprivileged user of the nginx image.',
      'user nginx;',
      '# Logs go to the container output (docker compose logs nginx).',
      'error_log stderr warn;',
    ].join('\n'),
    HTTP_DIRECTIVES: indent(['access_log /dev/stdout parley_private;'], 4),
    UPSTREAM_SERVERS: upstreamServers(hosts),
    LISTEN: '80',
    METRICS_LOCATION: metricsLocation(options['metrics-allow']),
  };
}

function localValues(options) {
  const prefix = options.prefix;
  if (!prefix || !path.isAbsolute(prefix)) fail('--prefix must be an absolute directory');
  if (/[\s;{}'"]/.test(prefix)) fail('--prefix must not contain spaces, quotes, ; { or }');
  const nodes = positiveInt(options.nodes ?? '3', 'nodes');
  const basePort = positiveInt(options['base-port'] ?? '3101', 'base-port');
  if (basePort + nodes - 1 > 65535) fail('ports past 65535');
  const listen = options.listen ?? '127.0.0.1:8080';
  if (!/^[0-9a-zA-Z.:[\]]+$/.test(listen)) fail(`bad --listen ${listen}`);
  const reuseport = options.reuseport ?? 'off';
  if (reuseport !== 'on' && reuseport !== 'off') fail('--reuseport must be on or off');
  const hosts = Array.from({ length: nodes }, (_, i) => `127.0.0.1:${basePort + i}`);
  const temp = (name) => `${name}_temp_path ${prefix}/temp/${name};`;
  return {
    ...workerValues(options),
    MAIN_DIRECTIVES: [
      '# Run unprivileged in the foreground; deploy/cluster.sh tracks the PID',
      '# and sends the signals. Everything nginx writes stays in the prefix.',
      'daemon off;',
      `pid ${prefix}/nginx.pid;`,
      'error_log stderr notice;',
    ].join('\n'),
    HTTP_DIRECTIVES: indent([
      `access_log ${prefix}/logs/access.log parley_private;`,
      temp('client_body'),
      temp('proxy'),
      temp('fastcgi'),
      temp('uwsgi'),
      temp('scgi'),
    ], 4),
    UPSTREAM_SERVERS: upstreamServers(hosts),
    LISTEN: reuseport === 'on' ? `${listen} reuseport` : listen,
    METRICS_LOCATION: metricsLocation(options['metrics-allow']),
  };
}

function render(template, values) {
  const out = template.replace(/\{\{([A-Z_]+)\}\}/g, (match, name) => {
    if (!(name in values)) fail(`template placeholder ${match} has no value`);
    return values[name];
  });
  return out;
}

const options = parseArgs(process.argv.slice(2));
const known = new Set([
  'target', 'nodes', 'base-port', 'listen', 'prefix', 'metrics-allow', 'worker-processes', 'worker-connections', 'reuseport',
]);
for (const key of Object.keys(options)) if (!known.has(key)) fail(`unknown option --${key}`);

let values;
if (options.target === 'compose') values = composeValues(options);
else if (options.target === 'local') values = localValues(options);
else fail('--target must be compose or local');

process.stdout.write(render(fs.readFileSync(TEMPLATE, 'utf8'), values));
