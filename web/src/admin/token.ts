/** The operator token, kept for this tab only (sessionStorage): closing the tab forgets it. */
const KEY = 'parley.adminToken';

export interface TokenStore {
  read(): string | null;
  save(token: string): void;
  clear(): void;
}

export function sessionToken(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = sessionStorage): TokenStore {
  return {
    read() {
      try {
        return storage.getItem(KEY);
      } catch {
        return null;
      }
    },
    save(token) {
      try {
        storage.setItem(KEY, token);
      } catch {
        // Storage refused (private mode): the token lives until the page closes.
      }
    },
    clear() {
      try {
        storage.removeItem(KEY);
      } catch {
        // nothing kept
      }
    },
  };
}
