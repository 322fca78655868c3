/**
 * The search for a partner. Find or next, with the refusals the page can mend
 * itself: a chat that ended on the other side meanwhile (next becomes find),
 * and one still open on the server from before a reload (closed, then find).
 * With interests, the random fallback is made visible once it applies. Every
 * search gets a new id, so an ack or a timer of an earlier search cannot
 * touch a later one.
 */
import type { Requests } from '../app/connection';
import type { Problem } from '../app/errors';
import type { Settings } from '../app/settings';
import type { ErrorScope, Store } from '../app/state';
import type { LanguagePayload } from './languages';

export interface PartnerSearch {
  /** Enters the searching phase and asks the server; a refusal goes back to the start screen with a word. */
  run(interests: string[], mode: 'find' | 'next'): Promise<void>;
  /** Stops the fallback timer. */
  stopTimer(): void;
  /** The search is over on this side: the timer stops and a late ack is ignored. */
  end(): void;
}

export function createPartnerSearch(
  api: Requests,
  store: Store,
  settings: Settings,
  fail: (scope: ErrorScope, problem: Problem) => void,
  /** The languages part of each search (languages.ts), read when it starts. */
  languages: () => LanguagePayload = () => ({}),
): PartnerSearch {
  let fallbackTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every new search so a stale ack or timer cannot touch a later one. */
  let searchId = 0;

  const stopFallbackTimer = () => {
    clearTimeout(fallbackTimer);
    fallbackTimer = undefined;
  };

  /** Enters the searching phase and makes the random fallback visible once it applies. */
  const enterSearch = (interests: string[]): number => {
    const id = ++searchId;
    stopFallbackTimer();
    store.set({
      phase: 'searching',
      searchInterests: interests,
      widened: false,
      searchStatus: null,
      room: null,
      partnerTyping: false,
      partnerAway: false,
      endReason: null,
      error: null,
    });
    if (interests.length > 0) {
      fallbackTimer = setTimeout(() => {
        if (id === searchId && store.get().phase === 'searching') store.set({ widened: true });
      }, settings.randomFallbackMs);
    }
    return id;
  };

  const search = async (interests: string[], mode: 'find' | 'next') => {
    const id = enterSearch(interests);
    const payload = { ...(interests.length > 0 && { interests }), ...languages(), ...(store.get().searchMode === 'video' && { mode: 'video' as const }) };
    let outcome = mode === 'next' ? await api.nextMatch(payload) : await api.findMatch(payload);
    if (!outcome.ok && mode === 'next' && outcome.problem === 'NOT_IN_CHAT') {
      outcome = await api.findMatch(payload); // the chat ended on the other side meanwhile
    }
    if (!outcome.ok && outcome.problem === 'ALREADY_IN_CHAT') {
      // A chat from before a reload is still open on the server: close it, then search.
      await api.leaveRoom();
      outcome = await api.findMatch(payload);
    }
    if (outcome.ok || id !== searchId || store.get().phase !== 'searching') return;
    stopFallbackTimer();
    store.set({ phase: 'idle' });
    fail('start', outcome.problem);
  };

  return {
    run: search,
    stopTimer: stopFallbackTimer,
    end() {
      stopFallbackTimer();
      searchId++;
    },
  };
}
