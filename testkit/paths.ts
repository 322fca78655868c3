/**
 * Where the repository is, whether this file runs from source (jest) or
 * compiled into dist-bench/testkit (the benchmarks).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = repositoryRoot(__dirname);
/** The built node, `npm run build`'s entry point. */
export const MAIN_JS = path.join(ROOT, 'dist', 'main.js');
