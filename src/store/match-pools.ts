/** The pools a search reads, in walk order, and the key of the searches without languages in the waiting counts. */
import type { CandidateQuery } from './match-store';

/** Key of `waitingByLanguage` for searches without languages (no language subtag has this spelling). */
export const WAITING_ANY_LANGUAGE = '*';

/** One pool of a search: a scope (a primary language, or null for any language) and an interest, or null for the open pool. */
export interface PoolRef {
  language: string | null;
  interest: string | null;
}

/**
 * The pools a query reads, in the order a walk takes them (a cursor's `pool`
 * indexes this list): for each of its languages, then for any language when
 * it accepts any, the pool of each interest, then the open pool when open.
 * Every pair the rules allow shares one: a common language or both any
 * language, and a common interest or both open.
 */
export function poolOrder(query: Pick<CandidateQuery, 'interests' | 'open' | 'languages' | 'anyLanguage'>): PoolRef[] {
  const scopes: (string | null)[] = [...(query.languages ?? [])];
  if (query.anyLanguage ?? true) scopes.push(null);
  const out: PoolRef[] = [];
  for (const language of scopes) {
    for (const interest of query.interests) out.push({ language, interest });
    if (query.open) out.push({ language, interest: null });
  }
  return out;
}
