/** What `find-match` and `next-match` hand the matchmaker, and the `waiting` event they answer with. */
import { primaryLanguages } from '../../../matchmaking/languages';
import type { ChatMode, FindMatchPayload, WaitingEvent } from '../../../protocol';
import type { SearchLanguages } from '../../../store/match-store';

/** The search of a checked payload: its interests, its languages as primary subtags (none: undefined) and its mode. */
export function searchOf(payload: FindMatchPayload): { interests: string[]; languages?: SearchLanguages; mode: ChatMode } {
  const interests = payload.interests ?? [];
  const mode = payload.mode ?? 'text';
  if (!payload.languages) return { interests, mode };
  const languages: SearchLanguages = { languages: primaryLanguages(payload.languages) };
  if (payload.anyLanguageAfterMs !== undefined) languages.anyLanguageAfterMs = payload.anyLanguageAfterMs;
  return { interests, languages, mode };
}

/** `waiting`: the interests, the mode, and the languages (canonical tags) and opt-in the search runs with. */
export function waitingEvent(payload: FindMatchPayload): WaitingEvent {
  const event: WaitingEvent = { interests: payload.interests ?? [], mode: payload.mode ?? 'text' };
  if (payload.languages) {
    event.languages = payload.languages;
    if (payload.anyLanguageAfterMs !== undefined) event.anyLanguageAfterMs = payload.anyLanguageAfterMs;
  }
  return event;
}
