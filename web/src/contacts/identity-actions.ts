/**
 * What a person can do with its identity: appear offline, save and restore
 * the recovery key (the identity token), and delete the identity. Restoring
 * and deleting reload the page, so every part of it starts from the new
 * identity; a key the server does not recognise gives the old identity back.
 */
import type { ParleyClient } from '../app/connection';
import { describe } from '../app/errors';
import { clearToken, readToken, saveToken, webStorage } from '../app/identity';
import { looksLikeKey, normalizeKey } from './recovery-key';
import type { ContactsStateStore } from './contacts-state';
import type { ContactRequests } from './requests';
import { t } from '../i18n/i18n';

const APPEAR_OFFLINE_KEY = 'parley.appearOffline';
const KEY_SAVED_KEY = 'parley.recoveryKeySaved';
/** sessionStorage: a restore under way across the reload, `{ key, previous }`. */
const RESTORE_KEY = 'parley.restore';

export interface IdentityActions {
  setAppearOffline(on: boolean): Promise<void>;
  /** The recovery key to show, or null before the server issued one. */
  recoveryKey(): string | null;
  /** Remembers that the key was shown, so the page stops suggesting it. */
  markKeySaved(): void;
  keySaved(): boolean;
  /** Checks a key and switches to it (reloads); returns the reason when it cannot. */
  restore(key: string): string | null;
  /** Deletes the identity on the server and starts afresh (reloads); false when it failed. */
  deleteIdentity(): Promise<boolean>;
}

type Kind = 'local' | 'session';

function read(kind: Kind, key: string): string | null {
  try {
    return webStorage(kind).getItem(key);
  } catch {
    return null;
  }
}

function write(kind: Kind, key: string, value: string | null): void {
  try {
    if (value === null) webStorage(kind).removeItem(key);
    else webStorage(kind).setItem(key, value);
  } catch {
    /* storage disabled: the preference lasts as long as this page */
  }
}


/** The stored "appear offline" choice. */
export function readAppearOffline(): boolean {
  return read('local', APPEAR_OFFLINE_KEY) === '1';
}

/**
 * After a reload for a restore: compares the identity the server accepted with
 * the key given. Returns the notice to show, or null when no restore was under way.
 */
export function settleRestore(token: string, reconnect: () => void): { ok: boolean; text: string } | null {
  const raw = read('session', RESTORE_KEY);
  if (!raw) return null;
  write('session', RESTORE_KEY, null);
  let pending: { key?: string; previous?: string | null };
  try {
    pending = JSON.parse(raw) as typeof pending;
  } catch {
    return null;
  }
  if (pending.key === token) return { ok: true, text: t('identity.key_accepted') };
  if (pending.previous) {
    saveToken(pending.previous);
    reconnect();
  }
  return { ok: false, text: t('identity.key_unknown') };
}

export function createIdentityActions(
  client: ParleyClient,
  api: ContactRequests,
  store: ContactsStateStore,
  reload: () => void = () => (globalThis as unknown as { location: { reload(): void } }).location.reload(),
): IdentityActions {
  client.on('connect', () => {
    // The server may not keep the choice across connections: say it again each time.
    if (store.get().appearOffline) void api.settings(true);
  });

  return {
    async setAppearOffline(on) {
      store.set({ appearOffline: on });
      write('local', APPEAR_OFFLINE_KEY, on ? '1' : null);
      const outcome = await api.settings(on);
      if (!outcome.ok) store.set({ error: { scope: 'identity', text: describe(outcome.problem) } });
    },
    recoveryKey: () => readToken(),
    markKeySaved: () => write('local', KEY_SAVED_KEY, '1'),
    keySaved: () => read('local', KEY_SAVED_KEY) === '1',
    restore(raw) {
      const key = normalizeKey(raw);
      if (!key) return t('identity.key_missing');
      if (!looksLikeKey(key)) return t('identity.key_malformed');
      const previous = readToken();
      if (key === previous) return t('identity.key_same');
      write('session', RESTORE_KEY, JSON.stringify({ key, previous }));
      saveToken(key);
      reload();
      return null;
    },
    async deleteIdentity() {
      const previous = readToken();
      // Dropped first: if the server closes the connection before its answer, the reconnect starts fresh.
      clearToken();
      const outcome = await api.deleteIdentity();
      if (!outcome.ok) {
        if (previous) saveToken(previous);
        store.set({ error: { scope: 'identity', text: describe(outcome.problem) } });
        return false;
      }
      clearToken();
      write('local', APPEAR_OFFLINE_KEY, null);
      write('local', KEY_SAVED_KEY, null);
      reload();
      return true;
    },
  };
}
