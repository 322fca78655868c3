/**
 * Node-only helpers (`@parley/client/node`), kept out of the main entry so a
 * browser bundle never meets `node:fs`.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TokenStore } from './token-store';

/** Keeps the token in a file (created with its folder, mode 0600): a bot keeps its identity across restarts. */
export function fileTokenStore(path: string): TokenStore {
  return {
    async get() {
      try {
        return (await readFile(path, 'utf8')).trim() || undefined;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async set(token) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${token}\n`, { mode: 0o600 });
      await rename(tmp, path);
    },
  };
}
