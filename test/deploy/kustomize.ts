/**
 * The part of kustomize that deploy/k8s uses, for tests on a machine without
 * the kustomize binary: `resources` (files and directories), `namespace`,
 * `images` and `patches` given as paths to strategic-merge patch files. Any
 * other kustomization field is refused rather than ignored, so the manifests
 * cannot drift past what this build (and the tests on its output) covers.
 *
 * Strategic merge follows Kubernetes for the fields patched here: maps merge,
 * `null` deletes a key, the lists below merge on their key, every other list
 * is replaced.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export type Json = Record<string, any>;

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);

/** Lists that Kubernetes merges element by element, and the key they merge on. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

/** Kinds without a namespace, among those deploy/k8s uses. */
const CLUSTER_SCOPED = new Set(['Namespace']);

/** Every document of a YAML file, parse errors thrown. */
export function readYamlDocuments(file: string): Json[] {
  return YAML.parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      return doc.toJS() as Json | null;
    })
    .filter((doc): doc is Json => doc !== null);
}

export function strategicMerge(base: unknown, patch: unknown, key?: string): unknown {
  if (Array.isArray(patch)) {
    const mergeKey = key === undefined ? undefined : MERGE_KEYS[key];
    if (!mergeKey || !Array.isArray(base)) return structuredClone(patch);
    const result = structuredClone(base) as Json[];
    for (const item of patch as Json[]) {
      const at = result.findIndex((existing) => existing[mergeKey] === item[mergeKey]);
      if (at === -1) result.push(structuredClone(item));
      else result[at] = strategicMerge(result[at], item) as Json;
    }
    return result;
  }
  if (patch === null || typeof patch !== 'object') return patch;
  const result: Json =
    base !== null && typeof base === 'object' && !Array.isArray(base) ? structuredClone(base) : {};
  for (const [name, value] of Object.entries(patch as Json)) {
    if (value === null) delete result[name];
    else result[name] = strategicMerge(result[name], value, name);
  }
  return result;
}

function identity(object: Json): string {
  return `${object.kind}/${object.metadata?.name}`;
}

/** The objects `kubectl apply -k dir` would send, in resource order. */
export function build(dir: string): Json[] {
  const file = path.join(dir, 'kustomization.yaml');
  const [kustomization] = readYamlDocuments(file);
  if (!kustomization) throw new Error(`${file} is empty`);
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED.has(field)) throw new Error(`${file}: field "${field}" is not supported by this build`);
  }

  let objects: Json[] = [];
  for (const entry of (kustomization.resources ?? []) as string[]) {
    const target = path.resolve(dir, entry);
    if (!existsSync(target)) throw new Error(`${file}: resource ${entry} does not exist`);
    objects.push(...(statSync(target).isDirectory() ? build(target) : readYamlDocuments(target)));
  }
  const ids = objects.map(identity);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${file}: ${duplicate} defined twice`);

  for (const entry of (kustomization.patches ?? []) as Json[]) {
    if (Object.keys(entry).join() !== 'path') throw new Error(`${file}: only { path } patches are supported`);
    const patches = readYamlDocuments(path.resolve(dir, entry.path as string));
    if (patches.length !== 1) throw new Error(`${entry.path}: one patch per file`);
    const patch = patches[0]!;
    const at = objects.findIndex((object) => identity(object) === identity(patch));
    if (at === -1) throw new Error(`${entry.path}: no ${identity(patch)} to patch`);
    if (objects[at]!.apiVersion !== patch.apiVersion) throw new Error(`${entry.path}: apiVersion differs`);
    objects[at] = strategicMerge(objects[at], patch) as Json;
  }

  if (kustomization.namespace) {
    objects = objects.map((object) =>
      CLUSTER_SCOPED.has(object.kind as string)
        ? object
        : { ...object, metadata: { ...object.metadata, namespace: kustomization.namespace } },
    );
  }

  for (const image of (kustomization.images ?? []) as Json[]) {
    for (const object of objects) {
      for (const container of object.spec?.template?.spec?.containers ?? []) {
        // A tag follows the last ":" after the last "/" (a registry may carry a port).
        const [, name, tag] = /^(.*?)(?::([^:/]+))?$/.exec(String(container.image))!;
        if (name !== image.name) continue;
        const newTag = image.newTag ?? tag;
        container.image = `${image.newName ?? name}${newTag ? `:${newTag}` : ''}`;
      }
    }
  }
  return objects;
}
