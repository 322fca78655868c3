/** The anonymous identity token, kept in localStorage so a reload keeps the same user. */

const KEY = 'parley.token';

export function readToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled (private mode, blocked cookies): a fresh identity each visit
  }
}

export function saveToken(token: string): void {
  try {
    localStorage.setItem(KEY, token);
  } catch {
    /* storage disabled: the identity lasts as long as this page */
  }
}

/** Forgets the identity: the next connection gets a new one. */
export function clearToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* storage disabled: nothing was kept */
  }
}
