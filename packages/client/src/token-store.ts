/**
 * Where the identity's token is kept between connections and runs: the
 * server issues it in `session`, and a handshake presenting it keeps the
 * same identity (its contacts, its rooms, its chat on a resume).
 */

export interface TokenStore {
  get(): string | undefined | Promise<string | undefined>;
  set(token: string): void | Promise<void>;
}

/** Keeps the token for the life of this client object (a new identity per run). */
export function memoryTokenStore(initial?: string): TokenStore {
  let token = initial;
  return {
    get: () => token,
    set: (value) => {
      token = value;
    },
  };
}

interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The key parley's web client keeps its token under: the SDK in a page shares that identity. */
export const WEB_TOKEN_KEY = 'parley.token';

/** The browser's localStorage; where storage is disabled (private mode) the token lasts as long as the page. */
export function webTokenStore(key = WEB_TOKEN_KEY): TokenStore {
  const fallback = memoryTokenStore();
  const storage = (): WebStorage | undefined => (globalThis as { localStorage?: WebStorage }).localStorage;
  return {
    get() {
      try {
        return storage()?.getItem(key) ?? fallback.get();
      } catch {
        return fallback.get();
      }
    },
    set(token) {
      void fallback.set(token);
      try {
        storage()?.setItem(key, token);
      } catch {
        /* storage disabled: the memory copy serves this page */
      }
    },
  };
}

/** localStorage where there is one (a browser), else memory. */
export function defaultTokenStore(): TokenStore {
  return 'localStorage' in globalThis ? webTokenStore() : memoryTokenStore();
}
