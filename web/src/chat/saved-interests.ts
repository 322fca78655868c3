/**
 * The interests a person picked, kept in localStorage so they survive a
 * reload, a resumed chat and the next visit (never sent anywhere but with a
 * search). Clearing the chips clears the saved copy.
 */
import { webStorage, type KeyValueStore } from '../app/identity';

const KEY = 'parley.interests';

function storage(): KeyValueStore | null {
  try {
    return webStorage('local');
  } catch {
    return null; // storage disabled: interests last as long as the page
  }
}

/** The saved interests, or [] when none (or the saved copy is unreadable). */
export function readInterests(max: number, maxLength: number, store: KeyValueStore | null = storage()): string[] {
  try {
    const parsed: unknown = JSON.parse(store?.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    const valid = parsed.filter((i): i is string => typeof i === 'string' && i.length > 0 && i.length <= maxLength);
    return [...new Set(valid)].slice(0, max);
  } catch {
    return [];
  }
}

export function saveInterests(interests: readonly string[], store: KeyValueStore | null = storage()): void {
  try {
    if (interests.length === 0) store?.removeItem(KEY);
    else store?.setItem(KEY, JSON.stringify(interests));
  } catch {
    /* storage full or disabled: nothing to keep */
  }
}
