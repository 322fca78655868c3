/** The operator token, kept for this tab only (sessionStorage): closing the tab forgets it. */
const KEY = 'parley.adminToken';

export interface TokenStore {
  read(): string | null;
  save(token: string): void;
  clear(): void;
}

/** The part of Web Storage used here. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function sessionToken(storage?: StorageLike): TokenStore {
  const store = () => storage ?? (globalThis as { sessionStorage?: StorageLike }).sessionStorage;
  return {
    read() {
      try {
        return store()?.getItem(KEY) ?? null;
      } catch {
        return null;
      }
    },
    save(token) {
      try {
        store()?.setItem(KEY, token);
      } catch {
        // Storage refused (private mode): the token lives until the page closes.
      }
    },
    clear() {
      try {
        store()?.removeItem(KEY);
      } catch {
        // nothing kept
      }
    },
  };
}
