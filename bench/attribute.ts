/**
 * Where a node's CPU goes, by activity, from CPU profiles:
 *
 *   node dist-bench/bench/attribute.js <profile.cpuprofile | folder>… [--users N --seconds S --cpu S]
 *
 * (`npm run bench` compiles it; alone: `npx tsc -p bench/tsconfig.json`.)
 * Several profiles are added together (e.g. the nodes of one window). The
 * capacity scenario's `--profile` writes one profile per node per step with a
 * `.json` beside it (users, window seconds, the node's CPU seconds from /proc);
 * with those, or with --users/--seconds/--cpu, the table also gives µs of node
 * CPU per user per minute. Prints a markdown table (bench/lib/attribution.ts
 * holds the rules).
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
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node dist-bench/bench/attribute.js <profile.cpuprofile | folder>… [--users N --seconds S --cpu S]\n');
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
      ? { users: metas.reduce((a, m) => a + m.users, 0), wallS: Math.max(...metas.map((m) => m.wallS)), cpuS: metas.reduce((a, m) => a + m.cpuS, 0) }
      : undefined;
  const parts = files.map((f) => attribute(JSON.parse(readFileSync(f, 'utf8')) as CpuProfile));
  const total = combine(parts);
  const meta: WindowMeta | undefined =
    given.users || fromFiles
      ? {
          users: given.users ?? fromFiles?.users ?? NaN,
          wallS: given.wallS ?? fromFiles?.wallS ?? total.durationS,
          cpuS: given.cpuS ?? fromFiles?.cpuS ?? total.busyS,
        }
      : undefined;
  process.stdout.write(`${files.length} profile(s), ${total.durationS.toFixed(1)} s, ${total.busyS.toFixed(2)} s of sampled busy time`);
  if (meta) process.stdout.write(`; ${meta.users} users, ${meta.cpuS.toFixed(2)} node CPU seconds in ${meta.wallS.toFixed(1)} s`);
  process.stdout.write(`\n\n${attributionTable(total, meta)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
