/** An in-memory stand-in for localStorage, for the web client's DOM-free tests. */
import type { KeyValueStore } from '../../web/src/app/identity';

export function memoryStorage(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}
