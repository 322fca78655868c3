/**
 * deploy/k8s checked without a cluster: every object built from the base,
 * the example overlay and coturn's kustomization is validated against the
 * Kubernetes API schemas bundled with kubernetes-models, checked for fields
 * the API does not know (which those schemas let through), and checked
 * against parley itself — probe paths answered by a real node, ports and
 * variable names as src/config.ts reads them, a grace period that covers the
 * drain — and coturn against the hardening every deployment shares.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { ConfigError, loadConfig, SETTING_NAMES } from '../../src/config';
import { startNode } from '../../testkit/nodes';
import { httpGet } from '../../testkit/http';
import { ROOT } from '../../testkit/paths';
import YAML from 'yaml';
import { readRepoFile } from './helpers';
import { build, type Json, readYamlDocuments, strategicMerge } from './kustomize';
import { PROMETHEUS_DIR, promtool } from './prometheus';
import { parse, stringify } from 'yaml';

const K8S = path.join(ROOT, 'deploy', 'k8s');
const BASE = path.join(K8S, 'base');
const OVERLAY = path.join(K8S, 'overlays', 'example');
const PROMETHEUS = path.join(K8S, 'prometheus');
const COTURN = path.join(K8S, 'coturn');

const MODELS: Record<string, { prototype: { validate(): void } }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

/** Validates with the model's bundled schema; throws with the schema's message. */
function validate(object: Json): void {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  model.prototype.validate.call(object);
}

/**
 * Fields the Kubernetes API does not know. The bundled validators read every
 * property their schema defines and enumerate only maps (labels, data,
 * resources …), so a field they never touched is one the API would reject
 * (or, with client-side apply, drop).
 */
function unknownFields(object: Json): string[] {
  const seen = new Set<string>();
  const wrap = (value: unknown, at: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        const child = typeof key === 'string' ? `${at}/${key}` : at;
        if (typeof key === 'string' && !Array.isArray(target)) seen.add(child);
        return wrap(Reflect.get(target, key, receiver), child);
      },
      ownKeys(target) {
        if (!Array.isArray(target)) for (const key of Object.keys(target)) seen.add(`${at}/${key}`);
        return Reflect.ownKeys(target);
      },
    });
  };
  validate(wrap(object, '') as Json);
  const unseen = (value: unknown, at: string): string[] => {
    if (Array.isArray(value)) return value.flatMap((item, i) => unseen(item, `${at}/${i}`));
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, child]) =>
      seen.has(`${at}/${key}`) ? unseen(child, `${at}/${key}`) : [`${at}/${key}`],
    );
  };
  return unseen(object, '');
}

function find(objects: Json[], kind: string, name?: string): Json {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
}

function container(objects: Json[]): Json {
  return find(objects, 'Deployment').spec.template.spec.containers[0] as Json;
}

/** The environment a pod gets from the ConfigMap and Secret it names, plus its own env values. */
function podEnv(objects: Json[], secret: Json): Record<string, string> {
  const c = container(objects);
  const env: Record<string, string> = {};
  for (const source of c.envFrom as Json[]) {
    const from = source.configMapRef
      ? find(objects, 'ConfigMap', source.configMapRef.name).data
      : secret.metadata.name === source.secretRef.name
        ? secret.stringData
        : undefined;
    if (!from) throw new Error(`envFrom ${JSON.stringify(source)} names nothing defined here`);
    Object.assign(env, from);
  }
  for (const { name, value } of c.env as Json[]) env[name] = value ?? 'pod-name-0';
  return env;
}

/** Seconds the preStop hook holds the pod before SIGTERM. */
function preStopSeconds(c: Json): number {
  const hook = c.lifecycle?.preStop ?? {};
  if (hook.sleep) return Number(hook.sleep.seconds);
  const [program, seconds, ...rest] = (hook.exec?.command ?? []) as string[];
  if (program !== 'sleep' || rest.length > 0 || !/^\d+$/.test(seconds ?? '')) {
    throw new Error(`unexpected preStop hook ${JSON.stringify(hook)}`);
  }
  return Number(seconds);
}

/**
 * Prometheus's relabelling (keep and replace, the actions the scrape config
 * uses) applied to one discovered target's labels; null when dropped.
 */
function relabel(labels: Record<string, string>, rules: Json[]): Record<string, string> | null {
  const out = { ...labels };
  for (const rule of rules) {
    const value = ((rule.source_labels ?? []) as string[]).map((l) => out[l] ?? '').join(rule.separator ?? ';');
    const regex = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`);
    const action = rule.action ?? 'replace';
    if (action === 'keep') {
      if (!regex.test(value)) return null;
    } else if (action === 'replace') {
      if (regex.test(value)) out[rule.target_label] = value.replace(regex, rule.replacement ?? '$1');
    } else {
      throw new Error(`relabel action ${action} is not implemented here`);
    }
  }
  return out;
}

const base = build(BASE);
const overlay = build(OVERLAY);
const [secretExample] = readYamlDocuments(path.join(BASE, 'secret.example.yaml'));
const builds: [string, Json[]][] = [
  ['base', base],
  ['example overlay', overlay],
];
const turn = build(COTURN);
const [turnSecretExample] = readYamlDocuments(path.join(COTURN, 'secret.example.yaml'));

describe('deploy/k8s', () => {
  it('parses every YAML file, each document an object with apiVersion and kind', () => {
    const files = yamlFiles(K8S);
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const file of files) {
      const text = readRepoFile(path.relative(ROOT, file));
      expect({ file, tabs: text.includes('\t') }).toEqual({ file, tabs: false });
      const docs = readYamlDocuments(file);
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) expect(doc).toEqual(expect.objectContaining({ apiVersion: expect.any(String), kind: expect.any(String) }));
    }
  });

  const yamllint = spawnSync('yamllint', ['--version']).status === 0;
  (yamllint ? it : it.skip)('passes yamllint (when installed)', () => {
    const run = spawnSync('yamllint', ['-d', '{extends: default, rules: {line-length: {max: 140}, document-start: disable}}', K8S], {
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('builds the example overlay from the base: namespaced, with the registry image', () => {
    const kinds = (objects: Json[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds(base)).toEqual([
      'ConfigMap/parley-config',
      'Deployment/parley',
      'HorizontalPodAutoscaler/parley',
      'Ingress/parley',
      'Ingress/parley-metrics',
      'PodDisruptionBudget/parley',
      'Service/parley',
    ]);
    expect(kinds(overlay)).toEqual([...kinds(base), 'Namespace/parley'].sort());
    for (const object of overlay) {
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('parley');
    }
    expect(container(base).image).toBe('parley');
    expect(container(overlay).image).toBe('registry.example.com/parley:0.1.0');
    // The patches changed what they name and kept the rest.
    expect(find(overlay, 'ConfigMap').data).toEqual({
      ...find(base, 'ConfigMap').data,
      ROOMS: 'general,music,games',
      TURN_URLS: expect.stringMatching(/^turn:turn\.example\.com:3478/),
    });
    expect(container(overlay).resources.limits.memory).toBe('1Gi');
    expect(container(overlay).readinessProbe).toEqual(container(base).readinessProbe);
    expect(find(overlay, 'HorizontalPodAutoscaler').spec.metrics).toEqual(find(base, 'HorizontalPodAutoscaler').spec.metrics);
  });

  it.each(builds)('every object of the %s is valid for its Kubernetes API version', (_name, objects) => {
    for (const object of [...objects, secretExample!]) {
      expect(() => validate(object)).not.toThrow();
      // The model classes validate the same way.
      const Model = MODELS[`${object.apiVersion}/${object.kind}`] as unknown as new (data: Json) => { validate(): void };
      expect(() => new Model(object).validate()).not.toThrow();
    }
  });

  it.each(builds)('no object of the %s carries a field the Kubernetes API does not know', (_name, objects) => {
    for (const object of [...objects, secretExample!]) {
      expect({ object: `${object.kind}/${object.metadata.name}`, unknown: unknownFields(object) }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        unknown: [],
      });
    }
  });

  it('catches a misspelt field that the bundled schemas alone accept', () => {
    const broken = structuredClone(find(base, 'Deployment'));
    const c = broken.spec.template.spec.containers[0];
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
    c.securityContext.runAsNonRot = true;
    broken.spec.replica = 3;
    expect(() => new Deployment(broken).validate()).not.toThrow();
    expect(unknownFields(broken).sort()).toEqual([
      '/spec/replica',
      '/spec/template/spec/containers/0/readinesProbe',
      '/spec/template/spec/containers/0/securityContext/runAsNonRot',
    ]);
    // A wrong type the schemas do catch.
    c.ports[0].containerPort = 'http';
    expect(() => validate(broken)).toThrow(/containerPort/);
  });

  it('names only variables src/config.ts reads, and the example settings load', () => {
    const settings = new Set(SETTING_NAMES);
    expect(settings.has('DRAIN_TIMEOUT_MS')).toBe(true);
    for (const [, objects] of builds) {
      const names = [
        ...Object.keys(find(objects, 'ConfigMap').data),
        ...(container(objects).env as Json[]).map((e) => e.name as string),
        ...Object.keys(secretExample!.stringData),
      ];
      for (const name of names) expect({ name, known: settings.has(name) }).toEqual({ name, known: true });
      const filled = structuredClone(secretExample!);
      filled.stringData = {
        SESSION_SECRET: 'a'.repeat(64),
        REDIS_URL: 'rediss://:password@redis.example.internal:6380',
        DATABASE_URL: 'postgres://parley:password@postgres.example.internal:5432/parley',
        TURN_SECRET: 'b'.repeat(64),
      };
      const config = loadConfig(podEnv(objects, filled));
      expect(config.port).toBe(container(objects).ports[0].containerPort);
      expect(config.trustProxy).toBe(1);
      expect(config.nodeId).toBe('pod-name-0');
    }
    // Each pod's id is its name.
    expect(container(base).env).toEqual([{ name: 'NODE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
  });

  it("refuses to start on the example Secret's placeholders, naming each variable", () => {
    let message = '';
    try {
      loadConfig(podEnv(overlay, secretExample!));
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    for (const name of ['SESSION_SECRET', 'REDIS_URL', 'DATABASE_URL', 'TURN_SECRET']) expect(message).toContain(`${name}:`);
  });

  it('wires ports by name: Ingress → Service → container port = PORT = the image port', () => {
    for (const [, objects] of builds) {
      const c = container(objects);
      const service = find(objects, 'Service');
      const port = c.ports.find((p: Json) => p.name === 'http');
      expect(port.containerPort).toBe(Number(find(objects, 'ConfigMap').data.PORT));
      expect(port.containerPort).toBe(loadConfig({}).port);
      expect(readRepoFile('Dockerfile')).toMatch(new RegExp(`^EXPOSE ${port.containerPort}$`, 'm'));
      const podAnnotations = find(objects, 'Deployment').spec.template.metadata.annotations;
      expect(Number(podAnnotations['prometheus.io/port'])).toBe(port.containerPort);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe].httpGet.port).toBe('http');
      expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
      for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
        for (const rule of ingress.spec.rules) {
          for (const p of rule.http.paths) {
            expect(p.backend.service).toEqual({ name: service.metadata.name, port: { name: 'http' } });
          }
        }
      }
      // The Service, the budget and the spread constraint select exactly the Deployment's pods.
      const deployment = find(objects, 'Deployment');
      const podLabels = deployment.spec.template.metadata.labels;
      expect(deployment.spec.selector.matchLabels).toEqual(podLabels);
      expect(service.spec.selector).toEqual(podLabels);
      expect(find(objects, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(podLabels);
      expect(deployment.spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(podLabels);
    }
  });

  it('points its probes at paths a real node answers with 200, and readiness fails once it drains', async () => {
    const c = container(base);
    const paths = ['startupProbe', 'readinessProbe', 'livenessProbe'].map((probe) => c[probe].httpGet.path as string);
    expect(paths).toEqual(['/health', '/health/ready', '/health']);
    const node = await startNode();
    try {
      for (const probePath of paths) {
        const { status } = await httpGet(`${node.url}${probePath}`);
        expect({ probePath, status }).toEqual({ probePath, status: 200 });
      }
      const draining = node.server.drain();
      const ready = await httpGet(`${node.url}${c.readinessProbe.httpGet.path}`).then(
        ({ status }) => status,
        () => 'refused',
      );
      expect(ready === 'refused' || ready === 503).toBe(true);
      await draining;
    } finally {
      await node.close();
    }
  });

  it('gives a terminating pod more time than the preStop sleep plus DRAIN_TIMEOUT_MS', () => {
    for (const [, objects] of builds) {
      const spec = find(objects, 'Deployment').spec.template.spec;
      const drainMs = Number(find(objects, 'ConfigMap').data.DRAIN_TIMEOUT_MS ?? loadConfig({}).drainTimeoutMs);
      const sleep = preStopSeconds(spec.containers[0]);
      expect(sleep).toBeGreaterThanOrEqual(3);
      // At least 5 s left for the node's own close after the drain deadline.
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(sleep + drainMs / 1000 + 5);
    }
  });

  it('runs the node unprivileged on a read-only root filesystem (Pod Security "restricted")', () => {
    expect(find(overlay, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const [, objects] of builds) {
      const spec = find(objects, 'Deployment').spec.template.spec;
      // The image's "node" user, by number: runAsNonRoot cannot check a name.
      expect(readRepoFile('Dockerfile')).toMatch(/^USER node$/m);
      expect(spec.securityContext).toEqual(
        expect.objectContaining({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } }),
      );
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.hostNetwork ?? false).toBe(false);
      for (const c of spec.containers as Json[]) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          privileged: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        // Every writable path is an emptyDir; /tmp is one.
        for (const mount of c.volumeMounts as Json[]) {
          const volume = spec.volumes.find((v: Json) => v.name === mount.name);
          expect(Object.keys(volume)).toEqual(['name', 'emptyDir']);
        }
        expect(c.volumeMounts.map((m: Json) => m.mountPath)).toContain('/tmp');
      }
    }
  });

  it('pins browsers to a pod with a cookie, allows silent Socket.IO connections, keeps /metrics inside', () => {
    for (const [, objects] of builds) {
      const main = find(objects, 'Ingress', 'parley');
      const a = main.metadata.annotations;
      expect(a['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
      expect(a['nginx.ingress.kubernetes.io/affinity-mode']).toBe('persistent');
      expect(a['nginx.ingress.kubernetes.io/session-cookie-name']).toMatch(/^[\w-]+$/);
      // pingInterval 25 s + pingTimeout 20 s.
      expect(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThan(45);
      expect(main.spec.ingressClassName).toBe('nginx');

      const metrics = find(objects, 'Ingress', 'parley-metrics');
      expect(metrics.metadata.annotations).toEqual({
        'nginx.ingress.kubernetes.io/use-regex': 'true',
        'nginx.ingress.kubernetes.io/denylist-source-range': '0.0.0.0/0,::/0',
      });
      const hosts = (ingress: Json) => ingress.spec.rules.map((r: Json) => r.host ?? '*');
      expect(hosts(metrics)).toEqual(hosts(main));
      // ingress-nginx writes regex paths as `location ~* "^PATH"`: case-insensitive, anchored at the start.
      const [rule] = metrics.spec.rules;
      const pattern = new RegExp(`^${rule.http.paths[0].path}`, 'i');
      for (const url of ['/metrics', '/METRICS', '/Metrics/', '/metrics/x']) expect({ url, denied: pattern.test(url) }).toEqual({ url, denied: true });
      for (const url of ['/', '/health', '/socket.io/', '/metricsx']) expect({ url, denied: pattern.test(url) }).toEqual({ url, denied: false });
    }
    const tls = find(overlay, 'Ingress', 'parley').spec.tls;
    expect(tls).toEqual([{ hosts: ['chat.example.com'], secretName: 'parley-tls' }]);
  });

  it('lets the autoscaler own the pod count, one pod down at a time, never below two', () => {
    for (const [, objects] of builds) {
      const deployment = find(objects, 'Deployment');
      const hpa = find(objects, 'HorizontalPodAutoscaler');
      expect(deployment.spec.replicas).toBeUndefined();
      expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: deployment.apiVersion, kind: 'Deployment', name: deployment.metadata.name });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      expect(find(objects, 'PodDisruptionBudget').spec).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
    }
  });
});

describe('deploy/k8s/prometheus: scraping without the Prometheus Operator', () => {
  const objects = build(PROMETHEUS);
  const config = parse(find(objects, 'ConfigMap', 'parley-prometheus').data['prometheus.yml']) as Json;
  const job = (config.scrape_configs as Json[])[0] as Json;

  it('holds a scrape config and read access to the parley pods, each valid for its API version', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/monitoring/parley-prometheus',
      'Role/parley/prometheus-discovery',
      'RoleBinding/parley/prometheus-discovery',
    ]);
    for (const object of objects) {
      expect(() => validate(object)).not.toThrow();
      expect({ object: object.kind, unknown: unknownFields(object) }).toEqual({ object: object.kind, unknown: [] });
    }
    expect(find(objects, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    // The pods it may read are the ones it discovers.
    const overlayNamespace = find(overlay, 'Namespace').metadata.name;
    expect(find(objects, 'Role').metadata.namespace).toBe(overlayNamespace);
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: [overlayNamespace] } }]);
  });

  it("turns each parley pod into one target on its own address, node_id its name (= NODE_ID), from the Deployment's annotations", () => {
    const template = find(base, 'Deployment').spec.template;
    const pod = (labels: Json, annotations: Json, name: string) => {
      const meta: Record<string, string> = {
        __address__: '10.1.2.3:3001',
        __metrics_path__: '/metrics',
        __meta_kubernetes_pod_name: name,
        __meta_kubernetes_namespace: 'parley',
      };
      const key = (k: string) => k.replace(/[^a-zA-Z0-9_]/g, '_');
      for (const [k, v] of Object.entries(labels)) meta[`__meta_kubernetes_pod_label_${key(k)}`] = String(v);
      for (const [k, v] of Object.entries(annotations)) meta[`__meta_kubernetes_pod_annotation_${key(k)}`] = String(v);
      return relabel(meta, job.relabel_configs);
    };
    const target = pod(template.metadata.labels, template.metadata.annotations, 'parley-7d9f-abcde');
    expect(target).toEqual(
      expect.objectContaining({ __address__: '10.1.2.3:3001', __metrics_path__: '/metrics', node_id: 'parley-7d9f-abcde', namespace: 'parley' }),
    );
    expect(template.spec.containers[0].env).toContainEqual({ name: 'NODE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    // A pod that does not ask, or is not parley, is not scraped.
    expect(pod(template.metadata.labels, { ...template.metadata.annotations, 'prometheus.io/scrape': 'false' }, 'p')).toBeNull();
    expect(pod({ 'app.kubernetes.io/name': 'redis' }, template.metadata.annotations, 'p')).toBeNull();
  });

  it('passes promtool check config with the rules beside it (discovery swapped for a static target: Debian builds Prometheus without Kubernetes discovery)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-k8s-prometheus-'));
    try {
      const checked = structuredClone(config);
      delete checked.scrape_configs[0].kubernetes_sd_configs;
      checked.scrape_configs[0].static_configs = [{ targets: ['10.1.2.3:3001'] }];
      writeFileSync(path.join(dir, 'prometheus.yml'), stringify(checked));
      for (const file of config.rule_files as string[]) copyFileSync(path.join(PROMETHEUS_DIR, file), path.join(dir, file));
      const { status, output } = promtool(['check', 'config', 'prometheus.yml'], dir);
      expect(output).toMatch(/SUCCESS: 2 rule files found/);
      expect({ status, output }).toEqual({ status: 0, output: expect.not.stringMatching(/FAILED/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the kustomize subset used by the tests', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'parley-kustomize-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('refuses a kustomization field it does not implement instead of ignoring it', () => {
    writeFileSync(path.join(tmp, 'kustomization.yaml'), 'resources: []\ncommonLabels:\n  team: chat\n');
    expect(() => build(tmp)).toThrow(/commonLabels/);
  });

  it('merges containers, env and volumes by key, replaces other lists and deletes on null', () => {
    const merged = strategicMerge(
      { spec: { containers: [{ name: 'a', image: 'x', args: ['1', '2'], env: [{ name: 'P', value: '1' }] }], keep: 1, drop: 2 } },
      { spec: { containers: [{ name: 'a', args: ['3'], env: [{ name: 'Q', value: '2' }] }, { name: 'b' }], drop: null } },
    );
    expect(merged).toEqual({
      spec: {
        containers: [
          { name: 'a', image: 'x', args: ['3'], env: [{ name: 'P', value: '1' }, { name: 'Q', value: '2' }] },
          { name: 'b' },
        ],
        keep: 1,
      },
    });
  });
});

describe('deploy/k8s/coturn', () => {
  const deployment = find(turn, 'Deployment', 'coturn');
  const spec = deployment.spec.template.spec;
  const c = spec.containers[0] as Json;
  const args = c.args as string[];
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const mountOf = (target: string): Json => (c.volumeMounts as Json[]).find((m) => m.mountPath === target) ?? {};
  const volumeOf = (name: string): Json => (spec.volumes as Json[]).find((v) => v.name === name) ?? {};

  it('builds coturn apart from the nodes, in a namespace of its own', () => {
    expect(turn.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/coturn-config', 'Deployment/coturn', 'Namespace/parley-turn']);
    for (const object of turn) if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('parley-turn');
    // hostNetwork is outside "baseline": never in parley's "restricted" namespace.
    expect(find(turn, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('is valid for its Kubernetes API versions, with no field the API does not know', () => {
    for (const object of [...turn, turnSecretExample!]) {
      expect(() => validate(object)).not.toThrow();
      expect({ object: `${object.kind}/${object.metadata.name}`, unknown: unknownFields(object) }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        unknown: [],
      });
    }
  });

  it('holds the hardening every deployment shares, and never lets loopback peers through', () => {
    expect(find(turn, 'ConfigMap', 'coturn-config').data['turnserver.conf']).toBe(readRepoFile('deploy/coturn/turnserver.conf'));
    expect(args.slice(0, 2)).toEqual(['-c', '/etc/coturn/turnserver.conf']);
    expect(mountOf('/etc/coturn/turnserver.conf')).toMatchObject({ name: 'config', subPath: 'turnserver.conf', readOnly: true });
    expect(volumeOf('config').configMap.name).toBe('coturn-config');
    expect(args.some((a) => /loopback|allowed-peer-ip/.test(a))).toBe(false);
    expect(flag('realm')).toMatch(/^[\w.-]+$/);
  });

  it('runs on the host network of one labelled machine, one pod per machine, its ports those of compose and the docs', () => {
    expect(spec.hostNetwork).toBe(true);
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(Object.keys(spec.nodeSelector)).toHaveLength(1);
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels).toEqual(
      deployment.spec.template.metadata.labels,
    );
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    const ports = (c.ports as Json[]).map((p) => `${p.containerPort}/${p.protocol}`).sort();
    expect(ports).toEqual(['3478/TCP', '3478/UDP', '5349/TCP']);
    for (const p of c.ports as Json[]) expect(p.hostPort).toBe(p.containerPort);
    expect([flag('listening-port'), flag('tls-listening-port')]).toEqual(['3478', '5349']);
    const compose = YAML.parse(readRepoFile('docker-compose.yml'), { merge: true }).services.coturn.command as string[];
    for (const name of ['listening-port', 'min-port', 'max-port']) {
      expect({ name, k8s: flag(name) }).toEqual({ name, k8s: compose.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) });
    }
    expect(readRepoFile('docs/deployment.md')).toContain(`${flag('min-port')}–${flag('max-port')}`);
    for (const probe of ['readinessProbe', 'livenessProbe']) expect(c[probe].tcpSocket.port).toBe(3478);
  });

  it("signs with its Secret's TURN_SECRET, the variable the nodes read, and serves TLS from an optional certificate", () => {
    expect(flag('static-auth-secret')).toBe('$(TURN_SECRET)');
    expect(c.env).toEqual([{ name: 'TURN_SECRET', valueFrom: { secretKeyRef: { name: 'coturn-secrets', key: 'TURN_SECRET' } } }]);
    expect(turnSecretExample!.metadata.name).toBe('coturn-secrets');
    expect(Object.keys(turnSecretExample!.stringData)).toEqual(['TURN_SECRET']);
    expect(Object.keys(secretExample!.stringData)).toContain('TURN_SECRET');
    expect(SETTING_NAMES).toContain('TURN_SECRET');
    const tls = mountOf('/etc/coturn/tls');
    expect(volumeOf(tls.name).secret).toEqual({ secretName: 'coturn-tls', optional: true });
    expect([flag('cert'), flag('pkey')]).toEqual(['/etc/coturn/tls/tls.crt', '/etc/coturn/tls/tls.key']);
  });

  it('runs coturn unprivileged on a read-only root filesystem, writing to emptyDirs only', () => {
    expect(spec.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } }));
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    for (const mount of c.volumeMounts as Json[]) {
      const volume = volumeOf(mount.name);
      if (!mount.readOnly) expect({ mount: mount.mountPath, volume: Object.keys(volume) }).toEqual({ mount: mount.mountPath, volume: ['name', 'emptyDir'] });
    }
  });
});
