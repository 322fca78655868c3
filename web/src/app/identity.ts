/** The anonymous identity token, kept in localStorage so a reload keeps the same user. */

const KEY = 'parley.token';

/** The part of the Web Storage API the page uses; typed here so DOM-free modules (and their tests) can import this file. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage or sessionStorage; throws where storage is disabled (callers catch). */
export function webStorage(kind: 'local' | 'session'): KeyValueStore {
  const scope = globalThis as unknown as { localStorage: KeyValueStore; sessionStorage: KeyValueStore };
  return kind === 'local' ? scope.localStorage : scope.sessionStorage;
}

/** Where storage is disabled (private mode, blocked cookies): the identity lasts as long as this page. */
let inMemory: string | null = null;

export function readToken(): string | null {
  try {
    return webStorage('local').getItem(KEY);
  } catch {
    return inMemory;
  }
}

export function saveToken(token: string): void {
  inMemory = token;
  try {
    webStorage('local').setItem(KEY, token);
  } catch {
    /* storage disabled: the copy in memory serves this page */
  }
}

/** Forgets the identity: the next connection gets a new one. */
export function clearToken(): void {
  inMemory = null;
  try {
    webStorage('local').removeItem(KEY);
  } catch {
    /* storage disabled: nothing was kept */
  }
}

/**
 * The page's client keeps its token here (the @parley/client TokenStore
 * shape): the identity the server issues is saved on every `session`, and
 * every handshake presents what is stored at that moment, so a recovery key
 * put in, or a token dropped before `delete-identity`, takes effect on the
 * next connection.
 */
export const pageTokenStore = {
  get: (): string | undefined => readToken() ?? undefined,
  set: saveToken,
};
