/** The pools a search reads, in walk order, and the key of the searches without languages in the waiting counts. */
import type { ChatMode } from '../protocol';
import type { CandidateQuery } from './match-store';

/** Key of `waitingByLanguage` for searches without languages (no language subtag has this spelling). */
export const WAITING_ANY_LANGUAGE = '*';

/**
 * One pool of a search: a mode (each has pools of its own: video seekers
 * never meet text seekers), a scope (a primary language, or null for any
 * language) and an interest, or null for the open pool.
 */
export interface PoolRef {
  mode: ChatMode;
  language: string | null;
  interest: string | null;
}

/**
 * The pools a query reads, in the order a walk takes them (a cursor's `pool`
 * indexes this list): for each of its languages, then for any language when
 * it accepts any, the pool of each interest, then the open pool when open;
 * all of the query's mode. Every pair the rules allow shares one: the same
 * mode, a common language or both any language, and a common interest or
 * both open.
 */
export function poolOrder(query: Pick<CandidateQuery, 'interests' | 'open' | 'languages' | 'anyLanguage' | 'mode'>): PoolRef[] {
  const mode = query.mode ?? 'text';
  const scopes: (string | null)[] = [...(query.languages ?? [])];
  if (query.anyLanguage ?? true) scopes.push(null);
  const out: PoolRef[] = [];
  for (const language of scopes) {
    for (const interest of query.interests) out.push({ mode, language, interest });
    if (query.open) out.push({ mode, language, interest: null });
  }
  return out;
}

/**
 * A pool's key suffix in the Redis store: `pool:` then `v:` for video, then
 * `l:<language>:` for a language, then `i:<interest>` or `open` (a text pool
 * keeps the name pools had before modes). The same as pool_scopes in
 * lua/includes/pools.lua.
 */
export function poolKey(ref: PoolRef): string {
  const mode = ref.mode === 'video' ? 'v:' : '';
  const language = ref.language === null ? '' : `l:${ref.language}:`;
  return `pool:${mode}${language}${ref.interest === null ? 'open' : `i:${ref.interest}`}`;
}
