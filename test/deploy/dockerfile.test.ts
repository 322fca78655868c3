/**
 * The Dockerfile cannot be built here (no Docker engine), so these tests check
 * what can go wrong without one: the build context keeps what the build needs
 * and drops secrets, and the runtime stage is the unprivileged, health-checked
 * image docker-compose.yml expects.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../testkit/paths';
import { readRepoFile } from './helpers';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** Stages by name, each the instructions after its FROM. */
function stages(list: Instruction[]): Map<string, Instruction[]> {
  const result = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of list) {
    if (instruction.op === 'FROM') {
      current = [instruction];
      const name = /\sAS\s+(\S+)/i.exec(instruction.args)?.[1] ?? String(result.size);
      result.set(name, current);
    } else {
      current.push(instruction);
    }
  }
  return result;
}

/** .dockerignore patterns, top-level names and simple globs only. */
function ignored(relative: string, patterns: string[]): boolean {
  let result = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = negate ? raw.slice(1) : raw;
    const regex = new RegExp(
      `^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`,
    );
    if (regex.test(relative)) result = !negate;
  }
  return result;
}

const dockerfile = instructions(readRepoFile('Dockerfile'));
const byStage = stages(dockerfile);
const ignorePatterns = readRepoFile('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe('Dockerfile', () => {
  it('builds in one stage and runs node:20-slim with production dependencies in another', () => {
    const build = byStage.get('build');
    const runtime = byStage.get('runtime');
    expect(build).toBeDefined();
    expect(runtime?.[0]?.args).toMatch(/^node:20-slim\b/);
    expect(build!.map((i) => i.args)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^npm ci\b/), 'npm run build']),
    );
    const runs = runtime!.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /npm ci --omit=dev/.test(r))).toBe(true);
    expect(runtime).toContainEqual({ op: 'COPY', args: '--from=build /app/dist ./dist' });
  });

  it('runs as the unprivileged node user, exposes 3001 and checks /health', () => {
    const runtime = byStage.get('runtime')!;
    const last = (op: string) => runtime.filter((i) => i.op === op).at(-1)?.args;
    expect(last('USER')).toBe('node');
    expect(last('EXPOSE')).toBe('3001');
    expect(last('HEALTHCHECK')).toMatch(/CMD \["node", "-e", ".*\/health/);
    expect(JSON.parse(last('CMD')!)).toEqual(['node', 'dist/main.js']);
  });

  it('sends the build everything `npm ci` and `npm run build` read, and no secrets or local state', () => {
    const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
    // Files named in the build script (tsconfig.build.json, scripts/*.js, ...).
    const named = pkg.scripts.build!.match(/[\w./-]+\.(?:json|js|mjs|cjs|ts)/g) ?? [];
    const extended = named
      .filter((file) => /tsconfig[\w.-]*\.json$/.test(file))
      .map((file) => (JSON.parse(readRepoFile(file)) as { extends?: string }).extends)
      .filter((file): file is string => Boolean(file))
      .map((file) => path.normalize(file));
    // The web client's sources, bundled into dist/public by the build.
    const web = existsSync(path.join(ROOT, 'web')) ? ['web'] : [];
    const needed = ['package.json', 'package-lock.json', 'src', ...web, ...named, ...extended];
    for (const file of needed) {
      expect({ file, exists: existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
      expect({ file, ignored: ignored(file, ignorePatterns) }).toEqual({ file, ignored: false });
    }
    for (const file of ['.env', 'node_modules', 'dist', '.run', '.git']) {
      expect({ file, ignored: ignored(file, ignorePatterns) }).toEqual({ file, ignored: true });
    }
  });
});
