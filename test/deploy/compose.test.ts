/**
 * docker-compose.yml and the nginx config, checked without a Docker engine:
 * the compose file against the Compose Specification schema and for dangling
 * references (its default services and its `cluster` profile), coturn's
 * settings against the nodes' and the hardening every deployment shares (and,
 * where turnserver is installed, its options against turnserver's own), the
 * nginx renderings against each other and against `nginx -t`.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig, SETTING_NAMES } from '../../src/config';
import net from 'node:net';
import { ROOT } from '../../testkit/paths';
import { freePortRange } from '../../testkit/ports';
import { ProcessGroup, whenReady } from '../../testkit/processes';
import { NGINX_BIN, readRepoFile, renderNginx } from './helpers';

type Json = Record<string, any>;

const composeText = readRepoFile('docker-compose.yml');
const compose = YAML.parse(composeText, { merge: true }) as Json;
const services = compose.services as Record<string, Json>;
/** The services `docker compose up` starts: those of no profile. */
const defaultServices = Object.fromEntries(Object.entries(services).filter(([, s]) => s.profiles === undefined));
const appServices = Object.entries(defaultServices).filter(([, s]) => s.build !== undefined);
const clusterServices = Object.fromEntries(
  Object.entries(services).filter(([, s]) => (s.profiles as string[] | undefined)?.includes('cluster')),
);

function compileComposeSchema() {
  const dclintDir = path.dirname(require.resolve('dclint/package.json'));
  const schema = JSON.parse(
    readFileSync(path.join(dclintDir, 'schemas', 'compose.schema.json'), 'utf8'),
  ) as Json;
  // The draft-07 meta-schema URL is not bundled with ajv under that spelling.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function dependsOn(service: Json): Record<string, Json> {
  const d = service.depends_on;
  if (!d) return {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((name: string) => [name, {}]));
  return d as Record<string, Json>;
}

function envOf(service: Json): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env as Record<string, string>;
  return Object.fromEntries(
    (env as string[]).map((line) => [line.split('=')[0], line.split('=').slice(1).join('=')]),
  );
}

/** Named volumes used by services (bind mounts start with . or /). */
function namedVolumes(service: Json): string[] {
  return (service.volumes ?? [])
    .map((v: string | Json) => (typeof v === 'string' ? v.split(':')[0] : v.source))
    .filter((source: string | undefined) => source && !/^[./~]/.test(source));
}

function bindMounts(service: Json): { source: string; target: string }[] {
  return (service.volumes ?? [])
    .map((v: string | Json) =>
      typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v,
    )
    .filter((v: { source: string }) => /^[./]/.test(v.source));
}

describe('docker-compose.yml', () => {
  const validate = compileComposeSchema();

  it('conforms to the Compose Specification schema', () => {
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is rejected by the same schema when a service carries an unknown key', () => {
    const broken = structuredClone(compose);
    broken.services.node1.bogus_key = true;
    expect(validate(broken)).toBe(false);
  });

  it('passes dclint with no problems', () => {
    const bin = path.join(path.dirname(require.resolve('dclint/package.json')), 'bin', 'dclint.cjs');
    const run = spawnSync(process.execPath, [bin, path.join(ROOT, 'docker-compose.yml')], {
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).not.toMatch(/error|warning/);
    expect(run.status).toBe(0);
  });

  it('refers only to services, networks and volumes it defines', () => {
    const networks = Object.keys(compose.networks ?? {});
    const volumes = Object.keys(compose.volumes ?? {});
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, spec] of Object.entries(dependsOn(service))) {
        expect({ service: name, dependsOn: dep, defined: dep in services }).toEqual({
          service: name,
          dependsOn: dep,
          defined: true,
        });
        if (!service.profiles) {
          // `docker compose up` without the profile would not start the dependency.
          expect({ service: name, dependsOn: dep, inDefault: dep in defaultServices }).toEqual({
            service: name,
            dependsOn: dep,
            inDefault: true,
          });
        }
        if (spec.condition === 'service_healthy') {
          // Compose waits forever on a dependency that has no healthcheck.
          expect({ dep, healthcheck: Boolean(services[dep]!.healthcheck) }).toEqual({
            dep,
            healthcheck: true,
          });
        }
      }
      const used = Array.isArray(service.networks)
        ? service.networks
        : Object.keys(service.networks ?? {});
      for (const network of used) expect(networks).toContain(network);
      for (const volume of namedVolumes(service)) expect(volumes).toContain(volume);
    }
  });

  it('runs three parley nodes from one build with distinct NODE_IDs on the shared Redis', () => {
    expect(appServices).toHaveLength(3);
    const ids = appServices.map(([, s]) => envOf(s).NODE_ID);
    expect(new Set(ids).size).toBe(3);
    for (const [, service] of appServices) {
      const env = envOf(service);
      expect(service.build).toBe('.');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      // Required from the environment: compose refuses to start without it.
      expect(env.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?[^}]+\}$/);
      expect(env.TRUST_PROXY).toBe('1');
      expect(dependsOn(service).redis).toEqual({ condition: 'service_healthy' });
      expect(service.ports).toBeUndefined();
    }
    expect(services.redis!.image).toMatch(/^redis:7/);
    expect(services.redis!.command).toEqual(
      expect.arrayContaining(['redis-server', '--appendonly', 'yes']),
    );
    expect(namedVolumes(services.redis!)).toHaveLength(1);
  });

  it('runs PostgreSQL 15 with a health check and a named volume, and every node uses it', () => {
    const postgres = services.postgres!;
    expect(postgres.image).toMatch(/^postgres:15(\.|-|$)/);
    expect(postgres.ports).toBeUndefined();
    const check = postgres.healthcheck?.test as string[];
    expect(check).toEqual(expect.arrayContaining(['CMD', 'pg_isready']));
    expect(postgres.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(namedVolumes(postgres)).toEqual(['postgres-data']);
    const env = envOf(postgres);
    // Required from the environment, like SESSION_SECRET: no default password.
    expect(env.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
    for (const [, service] of appServices) {
      expect(dependsOn(service).postgres).toEqual({ condition: 'service_healthy' });
      const url = envOf(service).DATABASE_URL ?? '';
      const [, user, password, host, database] =
        /^postgres:\/\/([^:@]+):(\$\{POSTGRES_PASSWORD:\?[^}]+\})@([^/]+)\/(\w+)$/.exec(url) ?? [];
      expect({ user, password, host, database }).toEqual({
        user: env.POSTGRES_USER,
        password: env.POSTGRES_PASSWORD,
        host: 'postgres:5432',
        database: env.POSTGRES_DB,
      });
    }
  });

  it('puts nginx in front of every node, with the config file it mounts present', () => {
    const nginx = services.nginx!;
    for (const [name] of appServices) {
      expect(dependsOn(nginx)[name]).toEqual({ condition: 'service_healthy' });
    }
    const mounts = bindMounts(nginx);
    expect(mounts).toContainEqual({
      source: './nginx/nginx.conf',
      target: '/etc/nginx/nginx.conf',
    });
    for (const mount of mounts) expect(existsSync(path.join(ROOT, mount.source))).toBe(true);

    const conf = readRepoFile('nginx/nginx.conf');
    const upstreams = [...conf.matchAll(/^\s*server\s+(\S+)\s+max_fails/gm)].map((m) => m[1]);
    expect(upstreams.sort()).toEqual(appServices.map(([name]) => `${name}:3001`).sort());
    const listen = /^\s*listen\s+(\d+);/m.exec(conf)?.[1];
    expect(nginx.ports).toEqual([expect.objectContaining({ target: Number(listen) })]);
  });
});

describe('docker-compose.yml, coturn', () => {
  const coturn = services.coturn!;
  const command = coturn.command as string[];
  const flag = (name: string) => command.find((c) => c.startsWith(`--${name}=`))?.slice(name.length + 3);
  const shared = readRepoFile('deploy/coturn/turnserver.conf');
  const lines = shared.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('runs a pinned coturn image on the host network from the shared config, in the default services', () => {
    expect(coturn.image).toMatch(/^coturn\/coturn:\d+\.\d+/);
    expect(coturn.profiles).toBeUndefined();
    expect(coturn.network_mode).toBe('host');
    expect(coturn.networks).toBeUndefined();
    expect(coturn.ports).toBeUndefined();
    expect(bindMounts(coturn)).toEqual([{ source: './deploy/coturn/turnserver.conf', target: '/etc/coturn/turnserver.conf' }]);
    expect(command.slice(0, 2)).toEqual(['-c', '/etc/coturn/turnserver.conf']);
    expect(coturn.restart).toBe('unless-stopped');
  });

  it('signs with the secret the nodes sign with, on the port their TURN_URLS name, with a relay range and a realm', () => {
    expect(lines).toContain('use-auth-secret');
    expect(flag('static-auth-secret')).toMatch(/^\$\{TURN_SECRET:\?[^}]+\}$/);
    for (const [, service] of appServices) {
      const env = envOf(service);
      // The same variable, required like SESSION_SECRET.
      expect(env.TURN_SECRET).toBe(flag('static-auth-secret'));
      const urls = /^\$\{TURN_URLS:-([^}]+)\}$/.exec(env.TURN_URLS ?? '')?.[1]?.split(',') ?? [];
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url).toMatch(new RegExp(`^turns?:[^:]+:${flag('listening-port')}(\\?transport=(udp|tcp))?$`));
    }
    const [min, max] = [Number(flag('min-port')), Number(flag('max-port'))];
    expect(min).toBeGreaterThanOrEqual(1024);
    expect(max).toBeGreaterThan(min);
    // docs/deployment.md tells operators to open that range.
    expect(readRepoFile('docs/deployment.md')).toContain(`${min}–${max}`);
    expect(flag('realm')).toMatch(/^\$\{TURN_REALM:-[\w.-]+\}$/);
  });

  it('never relays to loopback or private networks (the hardening every deployment shares)', () => {
    expect([...command, ...lines].some((l) => /allow-loopback-peers/.test(l))).toBe(false);
    expect(lines).toEqual(expect.arrayContaining(['no-multicast-peers', 'no-cli', 'fingerprint']));
    const denied = lines.filter((l) => l.startsWith('denied-peer-ip=')).map((l) => l.slice('denied-peer-ip='.length));
    for (const range of [
      '10.0.0.0-10.255.255.255',
      '172.16.0.0-172.31.255.255',
      '192.168.0.0-192.168.255.255',
      '127.0.0.0-127.255.255.255',
      '169.254.0.0-169.254.255.255',
      '100.64.0.0-100.127.255.255',
      '::1',
      'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]) {
      expect(denied).toContain(range);
    }
    expect(lines.some((l) => l.startsWith('allowed-peer-ip'))).toBe(false);
  });

  const help = spawnSync('turnserver', ['--help'], { encoding: 'utf8' });
  const k8sArgs = YAML.parse(readRepoFile('deploy/k8s/coturn/deployment.yaml')).spec.template.spec.containers[0].args as string[];
  (help.error ? it.skip : it)('turnserver knows every option it is given, and starts on the command lines of compose and Kubernetes', async () => {
    // coturn ignores an unknown line of its file without a word: check each against its --help.
    const known = new Set(`${help.stdout}${help.stderr}`.match(/--[a-z0-9_-]+/g));
    const given = [...lines.map((l) => `--${l.split('=')[0]}`), ...command, ...k8sArgs].filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!);
    for (const option of given) expect({ option, known: known.has(option) }).toEqual({ option, known: true });

    const processes = new ProcessGroup();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'parley-coturn-'));
    try {
      for (const [name, args] of [['compose', command], ['k8s', k8sArgs]] as const) {
        const port = await freePortRange(2);
        const local = args.map((a) =>
          a
            .replace('/etc/coturn/turnserver.conf', path.join(ROOT, 'deploy', 'coturn', 'turnserver.conf'))
            .replace(/\$\{TURN_SECRET[^}]*\}|\$\(TURN_SECRET\)/, 'a-test-turn-secret-0123456789')
            .replace(/\$\{TURN_REALM:-([^}]*)\}/, '$1')
            .replace(/^--listening-port=.*/, `--listening-port=${port}`)
            .replace(/^--tls-listening-port=.*/, `--tls-listening-port=${port + 1}`),
        );
        // On loopback here; the deployments listen on every address.
        const started = processes.spawn(`turnserver (${name})`, 'turnserver', [
          ...local,
          '--listening-ip=127.0.0.1',
          '--relay-ip=127.0.0.1',
          `--pidfile=${path.join(tmp, `${name}.pid`)}`,
        ]);
        const accepts = () =>
          new Promise<boolean>((resolve) => {
            const socket = net.connect(port, '127.0.0.1', () => {
              socket.destroy();
              resolve(true);
            });
            socket.once('error', () => resolve(false));
          });
        await whenReady(started, `turnserver with the ${name} command line`, accepts, 10_000);
        await processes.stop(started);
      }
    } finally {
      await processes.stopAll();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('docker-compose.yml, cluster profile', () => {
  const redisServers = Object.keys(clusterServices).filter((name) => /^redis-cluster-\d+$/.test(name));
  const clusterNodes = Object.entries(clusterServices).filter(([, s]) => s.build !== undefined);
  const create = clusterServices['redis-cluster-create']!;
  const script = (create?.command as string[] | undefined)?.join('\n') ?? '';
  /** A ${VAR...} reference in a node's environment, filled with a value the config accepts. */
  const fill = (value: string) =>
    value
      .replace(/\$\{SESSION_SECRET[^}]*\}/, 'a-compose-test-secret-0123456789')
      .replace(/\$\{POSTGRES_PASSWORD[^}]*\}/, 'pw')
      .replace(/\$\{TURN_SECRET[^}]*\}/, 'a-compose-test-turn-secret-0123')
      .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

  it('holds six Redis servers, the one-shot that joins them, three nodes and their nginx, all in the profile only', () => {
    expect(Object.keys(clusterServices).sort()).toEqual(
      [
        'cluster-node1', 'cluster-node2', 'cluster-node3', 'nginx-cluster',
        ...[1, 2, 3, 4, 5, 6].map((i) => `redis-cluster-${i}`), 'redis-cluster-create',
      ].sort(),
    );
    for (const service of Object.values(clusterServices)) expect(service.profiles).toEqual(['cluster']);
    for (const [name, service] of Object.entries(defaultServices)) {
      // coturn alone runs on the host's network (its own describe block).
      if (name === 'coturn') continue;
      expect({ name, networks: service.networks }).toEqual({ name, networks: ['backend'] });
    }
  });

  it('runs each Redis server in cluster mode on 6379 with a health check and a volume of its own', () => {
    const volumes = new Set<string>();
    for (const name of redisServers) {
      const server = clusterServices[name]!;
      expect(server.image).toMatch(/^redis:7/);
      const command = server.command as string[];
      expect(command[0]).toBe('redis-server');
      const flag = (f: string) => command[command.indexOf(f) + 1];
      expect([flag('--cluster-enabled'), flag('--port')]).toEqual(['yes', '6379']);
      expect(server.healthcheck?.test).toEqual(expect.arrayContaining(['CMD', 'redis-cli', 'ping']));
      expect(server.networks).toEqual(['cluster']);
      for (const volume of namedVolumes(server)) volumes.add(volume);
    }
    expect(volumes.size).toBe(redisServers.length);
  });

  it('creates the cluster once every server is healthy, from all six, with one replica per master', () => {
    expect(Object.keys(dependsOn(create)).sort()).toEqual([...redisServers].sort());
    for (const spec of Object.values(dependsOn(create))) expect(spec).toEqual({ condition: 'service_healthy' });
    expect(create.restart).toBe('no');
    expect(script).toMatch(/redis-cli --cluster create \$\$seeds --cluster-replicas 1 --cluster-yes/);
    // The servers the loop resolves are the six services.
    const indexes = /for i in ([\d ]+); do/.exec(script)?.[1]?.trim().split(' ') ?? [];
    const template = /getent hosts (\S+)\$\$i/.exec(script)?.[1];
    expect(indexes.map((i) => `${template}${i}`).sort()).toEqual([...redisServers].sort());
    // Compose interpolates a single $: every shell $ must be written $$.
    expect(script.replace(/\$\$/g, '')).not.toContain('$');
    // Started again, it finds the cluster and exits 0.
    expect(script).toMatch(/cluster_state:ok'; then\n\s*echo [^\n]+\n\s*exit 0/);
  });

  it('starts three nodes on the cluster once it exists, with settings the config accepts', () => {
    expect(clusterNodes).toHaveLength(3);
    const ids = clusterNodes.map(([, s]) => envOf(s).NODE_ID);
    expect(new Set(ids).size).toBe(3);
    for (const [name, service] of clusterNodes) {
      const env = envOf(service);
      expect(service.build).toBe('.');
      expect(env.REDIS_URL).toBeUndefined();
      expect(env.REDIS_CLUSTER_NODES!.split(',').sort()).toEqual(redisServers.map((s) => `${s}:6379`).sort());
      expect(dependsOn(service)['redis-cluster-create']).toEqual({ condition: 'service_completed_successfully' });
      expect(dependsOn(service).postgres).toEqual({ condition: 'service_healthy' });
      expect(service.ports).toBeUndefined();
      // The same settings as the nodes on one Redis, apart from the Redis.
      const { REDIS_URL: _url, NODE_ID: _id, ...plain } = envOf(appServices[0]![1]);
      const { REDIS_CLUSTER_NODES: _seeds, NODE_ID: _cid, ...clustered } = env;
      expect({ name, env: clustered }).toEqual({ name, env: plain });
      for (const key of Object.keys(env)) expect(SETTING_NAMES).toContain(key);
      const config = loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(String(v))])));
      expect(config.redisClusterNodes).toHaveLength(6);
      expect(config.redisUrl).toBeUndefined();
    }
  });

  it('puts nginx-cluster in front of the cluster nodes with the same config, the upstream names being their aliases', () => {
    const nginx = clusterServices['nginx-cluster']!;
    expect(nginx.networks).toEqual(['cluster']);
    expect(bindMounts(nginx)).toEqual(bindMounts(services.nginx!));
    for (const [name] of clusterNodes) expect(dependsOn(nginx)[name]).toEqual({ condition: 'service_healthy' });
    const conf = readRepoFile('nginx/nginx.conf');
    const upstreams = [...conf.matchAll(/^\s*server\s+(\S+):3001\s+max_fails/gm)].map((m) => m[1]);
    const aliases = clusterNodes.flatMap(([, s]) => s.networks.cluster.aliases as string[]);
    expect(aliases.sort()).toEqual(upstreams.sort());
    // On the cluster network the names resolve to the cluster nodes only.
    for (const [name, service] of Object.entries(services)) {
      const nets = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
      if (nets.includes('cluster') && !clusterNodes.some(([n]) => n === name)) expect(upstreams).not.toContain(name);
    }
    const published = (s: Json) => s.ports[0].published as string;
    expect(published(nginx)).not.toBe(published(services.nginx!));
  });
});

describe('nginx config', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'parley-nginx-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** Renders the bare-metal config into a prefix dir and runs nginx -t on it. */
  function nginxTest(extra: string[] = []) {
    const prefix = path.join(tmp, `p${Math.random().toString(36).slice(2)}`);
    for (const dir of ['conf', 'logs', 'temp']) mkdirSync(path.join(prefix, dir), { recursive: true });
    const conf = renderNginx(['--target', 'local', '--prefix', prefix, ...extra]);
    writeFileSync(path.join(prefix, 'conf', 'nginx.conf'), conf);
    const run = spawnSync(NGINX_BIN, ['-t', '-p', prefix, '-c', 'conf/nginx.conf', '-e', 'stderr'], {
      encoding: 'utf8',
    });
    return { conf, status: run.status, output: run.stderr };
  }

  it('nginx/nginx.conf is the compose rendering of the template', () => {
    expect(readRepoFile('nginx/nginx.conf')).toBe(renderNginx(['--target', 'compose']));
  });

  it('nginx -t accepts the bare-metal rendering, with and without /metrics opted in', () => {
    const plain = nginxTest(['--listen', '127.0.0.1:18080']);
    expect(plain.output).toContain('test is successful');
    expect(plain.status).toBe(0);
    const withMetrics = nginxTest(['--metrics-allow', '127.0.0.1,10.0.0.0/8']);
    expect(withMetrics.output).toContain('test is successful');
    expect(withMetrics.status).toBe(0);
  });

  it('keeps every file nginx writes inside the prefix in the bare-metal rendering', () => {
    const { conf } = nginxTest();
    expect(conf).toMatch(/^daemon off;$/m);
    for (const directive of ['pid', 'access_log', ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((n) => `${n}_temp_path`)]) {
      const value = new RegExp(`^\\s*${directive}\\s+([^\\s;]+)[^;]*;`, 'm').exec(conf)?.[1];
      expect({ directive, inPrefix: value?.startsWith(tmp) }).toEqual({ directive, inPrefix: true });
    }
    expect(conf).not.toContain('{{');
  });

  it('routes Socket.IO with IP stickiness, upgrades and a read timeout above ping interval + timeout', () => {
    for (const conf of [readRepoFile('nginx/nginx.conf'), nginxTest().conf]) {
      expect(conf).toMatch(/^\s*hash \$remote_addr consistent;/m);
      expect(conf).not.toMatch(/^\s*ip_hash/m);
      expect(conf).toMatch(/map \$http_upgrade \$connection_upgrade/);
      expect(conf).toMatch(/^\s*proxy_http_version 1\.1;/m);
      expect(conf).toMatch(/^\s*proxy_set_header Upgrade\s+\$http_upgrade;/m);
      expect(conf).toMatch(/^\s*proxy_set_header Connection\s+\$connection_upgrade;/m);
      for (const header of ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Real-IP']) {
        expect(conf).toMatch(new RegExp(`^\\s*proxy_set_header ${header}\\s`, 'm'));
      }
      const socketIo = /location \/socket\.io\/ \{([^}]*)\}/.exec(conf)?.[1] ?? '';
      const readTimeout = Number(/proxy_read_timeout (\d+)s;/.exec(socketIo)?.[1]);
      expect(readTimeout).toBeGreaterThan(25 + 20);
      // proxy_set_header inside a location would silently drop the server-level headers.
      const locations = [...conf.matchAll(/location [^{]+\{([^}]*)\}/g)].map((m) => m[1]);
      for (const body of locations) expect(body).not.toContain('proxy_set_header');
      for (const loc of ['/socket.io/', '= /health', '= /health/ready', '= /stats', '/']) {
        expect(conf).toContain(`location ${loc} {`);
      }
      const servers = [...conf.matchAll(/^[ \t]*server[ \t]+[^ \t{]+[ \t]+([^\n;]*);$/gm)].map((m) => m[1]);
      expect(servers).toHaveLength(3);
      for (const options of servers) expect(options).toMatch(/max_fails=\d+ fail_timeout=\d+s/);
    }
  });

  it('answers /metrics itself with 404 unless the operator lists who may scrape it', () => {
    const closed = /location ~\* \^\/metrics\(\/\|\$\) \{([^}]*)\}/.exec(nginxTest().conf)?.[1];
    expect(closed?.trim()).toBe('return 404;');
    const open = /location ~\* \^\/metrics\(\/\|\$\) \{([^}]*)\}/.exec(
      nginxTest(['--metrics-allow', '10.1.0.0/16']).conf,
    )?.[1];
    expect(open).toContain('allow 10.1.0.0/16;');
    expect(open).toContain('deny all;');
    expect(open).toContain('proxy_pass http://parley_nodes;');
  });

  it('sizes the workers: processes, connections, an open-file limit above them, and reuseport when asked', () => {
    const sized = renderNginx(['--target', 'local', '--prefix', '/tmp/x', '--worker-processes', '8', '--worker-connections', '16384', '--reuseport', 'on']);
    expect(sized).toMatch(/^worker_processes 8;$/m);
    expect(sized).toMatch(/^ +worker_connections 16384;$/m);
    expect(sized).toMatch(/^worker_rlimit_nofile 17408;$/m);
    expect(sized).toMatch(/^ +listen 127\.0\.0\.1:8080 reuseport;$/m);
    const plain = renderNginx(['--target', 'local', '--prefix', '/tmp/x']);
    expect(plain).toMatch(/^worker_processes auto;$/m);
    expect(plain).toMatch(/^ +worker_connections 4096;$/m);
    expect(plain).toMatch(/^ +listen 127\.0\.0\.1:8080;$/m);
  });

  it('refuses options that would produce a broken config', () => {
    const bad = [
      ['--target', 'local'],
      ['--target', 'local', '--prefix', 'relative/dir'],
      ['--target', 'compose', '--nodes', '0'],
      ['--target', 'compose', '--metrics-allow', '1.2.3.4; deny all'],
      ['--target', 'swarm'],
      ['--target', 'compose', '--worker-processes', '0'],
      ['--target', 'compose', '--worker-connections', '10'],
      ['--target', 'compose', '--worker-connections', '4096; user root'],
      ['--target', 'local', '--prefix', '/tmp/x', '--reuseport', 'yes'],
    ];
    for (const args of bad) {
      expect(() =>
        execFileSync(process.execPath, [path.join(ROOT, 'deploy', 'render-nginx.js'), ...args], {
          stdio: 'pipe',
        }),
      ).toThrow();
    }
  });
});

describe('docker-compose.yml, observability profile', () => {
  const observability = Object.fromEntries(
    Object.entries(services).filter(([, s]) => (s.profiles as string[] | undefined)?.includes('observability')),
  );
  const prometheus = services.prometheus!;
  const grafana = services.grafana!;
  const mountOf = (service: Json, target: string) => bindMounts(service).find((m) => m.target === target);

  it('holds Prometheus and Grafana, in the profile only, on 127.0.0.1 unless told otherwise', () => {
    expect(Object.keys(observability).sort()).toEqual(['grafana', 'prometheus']);
    for (const service of Object.values(observability)) {
      expect(service.profiles).toEqual(['observability']);
      for (const port of service.ports as Json[]) expect(port.host_ip).toBe('${OBSERVABILITY_BIND:-127.0.0.1}');
    }
  });

  it('runs Prometheus on the shipped config, on the network of the nodes it scrapes', () => {
    const mount = mountOf(prometheus, '/etc/prometheus');
    expect(mount?.source).toBe('./deploy/prometheus');
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(existsSync(path.join(ROOT, 'deploy/prometheus/prometheus.yml'))).toBe(true);
    const config = YAML.parse(readRepoFile('deploy/prometheus/prometheus.yml')) as Json;
    const targets = (config.scrape_configs[0].static_configs as Json[]).flatMap((c) => c.targets as string[]);
    for (const target of targets) {
      const [host, port] = target.split(':') as [string, string];
      const node = defaultServices[host];
      expect({ target, service: Boolean(node) }).toEqual({ target, service: true });
      expect(node!.expose).toContain(port);
      expect(node!.networks).toEqual(expect.arrayContaining(prometheus.networks as string[]));
    }
  });

  it('provisions Grafana with that Prometheus and the parley dashboard', () => {
    expect(mountOf(grafana, '/etc/grafana/provisioning')?.source).toBe('./deploy/grafana/provisioning');
    const dashboard = bindMounts(grafana).find((m) => m.source === './deploy/grafana/parley.json')!;
    const providers = YAML.parse(readRepoFile('deploy/grafana/provisioning/dashboards/parley.yml')) as Json;
    expect(path.dirname(dashboard.target)).toBe(providers.providers[0].options.path);
    const sources = YAML.parse(readRepoFile('deploy/grafana/provisioning/datasources/prometheus.yml')) as Json;
    const [source] = sources.datasources as Json[];
    const port = (prometheus.ports as Json[])[0]!.target as number;
    expect(source!.url).toBe(`http://prometheus:${port}`);
    expect(source!.type).toBe('prometheus');
    expect(dependsOn(grafana).prometheus).toEqual({ condition: 'service_healthy' });
  });
});
