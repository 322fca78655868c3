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

export function readToken(): string | null {
  try {
    return webStorage('local').getItem(KEY);
  } catch {
    return null; // storage disabled (private mode, blocked cookies): a fresh identity each visit
  }
}

export function saveToken(token: string): void {
  try {
    webStorage('local').setItem(KEY, token);
  } catch {
    /* storage disabled: the identity lasts as long as this page */
  }
}

/** Forgets the identity: the next connection gets a new one. */
export function clearToken(): void {
  try {
    webStorage('local').removeItem(KEY);
  } catch {
    /* storage disabled: nothing was kept */
  }
}
