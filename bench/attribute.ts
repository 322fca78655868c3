/**
 * Where a node's CPU goes, by activity, from CPU profiles:
 *
 *   node dist-bench/bench/attribute.js <profile.cpuprofile | folder>… [--users N --seconds S --cpu S | --cores C]
 *
 * (`npm run bench` compiles it; alone: `npx tsc -p bench/tsconfig.json`.)
 * Several profiles are added together (e.g. the nodes of one window). The
 * capacity scenario's `--profile` writes one profile per node per step with a
 * `.json` beside it (users, window seconds, the node's CPU seconds from /proc);
 * with those, or with --users/--seconds/--cpu, the table also gives µs of node
 * CPU per user per minute. V8's sampler itself costs the profiled node about
 * 0.04 cores at its 1 ms interval (on top of what it samples), so the node's
 * CPU is best taken from an unprofiled run at the same load: `--cores C`, the
 * "nodes CPU" of that run's step, sets the CPU to C × the window. Prints a
 * markdown table (bench/lib/attribution.ts holds the rules).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { attribute, attributionTable, combine, type CpuProfile, type WindowMeta } from './lib/attribution';

function profilesIn(arg: string): string[] {
  if (!statSync(arg).isDirectory()) return [arg];
  return readdirSync(arg)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => path.join(arg, f));
}

function main(argv: string[]): number {
  const files: string[] = [];
  const given: Partial<WindowMeta> = {};
  let cores: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--users') given.users = num();
    else if (a === '--seconds') given.wallS = num();
    else if (a === '--cpu') given.cpuS = num();
    else if (a === '--cores') cores = num();
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node dist-bench/bench/attribute.js <profile.cpuprofile | folder>… [--users N --seconds S --cpu S | --cores C]\n');
      return 0;
    } else files.push(...profilesIn(a));
  }
  if (!files.length) {
    process.stderr.write('attribute: no .cpuprofile given\n');
    return 2;
  }
  const metas: WindowMeta[] = [];
  for (const f of files) {
    const side = f.replace(/\.cpuprofile$/, '.json');
    if (existsSync(side)) metas.push(JSON.parse(readFileSync(side, 'utf8')) as WindowMeta);
  }
  const fromFiles: WindowMeta | undefined =
    metas.length === files.length
      ? {
          users: metas.reduce((a, m) => a + m.users, 0),
          wallS: Math.max(...metas.map((m) => m.wallS)),
          cpuS: metas.reduce((a, m) => a + m.cpuS, 0),
          mainCpuS: metas.every((m) => m.mainCpuS !== undefined) ? metas.reduce((a, m) => a + m.mainCpuS!, 0) : undefined,
        }
      : undefined;
  const parts = files.map((f) => attribute(JSON.parse(readFileSync(f, 'utf8')) as CpuProfile));
  const total = combine(parts);
  const wallS = given.wallS ?? fromFiles?.wallS ?? total.durationS;
  if (cores !== undefined) given.cpuS = cores * wallS;
  const meta: WindowMeta | undefined =
    given.users || fromFiles
      ? {
          users: given.users ?? fromFiles?.users ?? NaN,
          wallS,
          cpuS: given.cpuS ?? fromFiles?.cpuS ?? total.busyS,
          // The main thread's share is only known for the window's own CPU.
          mainCpuS: given.cpuS === undefined ? fromFiles?.mainCpuS : undefined,
        }
      : undefined;
  process.stdout.write(`${files.length} profile(s), ${total.durationS.toFixed(1)} s, ${total.busyS.toFixed(2)} s of sampled busy time`);
  if (meta) process.stdout.write(`; ${meta.users} users, ${meta.cpuS.toFixed(2)} node CPU seconds in ${meta.wallS.toFixed(1)} s`);
  const kernelS = metas.length === files.length && metas.every((m) => m.kernelS !== undefined) ? metas.reduce((a, m) => a + m.kernelS!, 0) : undefined;
  if (fromFiles && kernelS !== undefined) process.stdout.write(` (profiled window: ${fromFiles.cpuS.toFixed(2)} s, of which ${kernelS.toFixed(2)} s in the kernel)`);
  process.stdout.write(`\n\n${attributionTable(total, meta)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
