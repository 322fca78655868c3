/** The page's state: one plain object, replaced on every change, watched by the views. */
import type { DisconnectReason, OnlineCountEvent, SearchStatusEvent } from '@parley/protocol';
import type { BanInfo } from '../moderation/banned';

/** Where the user is in the chat flow; mirrored on `[data-testid=status]` as data-state. */
export type Phase = 'idle' | 'searching' | 'chatting' | 'partner-left';

/**
 * The connection's health. `replaced` means another tab took over this identity;
 * `banned` that the server refuses it (see `ban`): neither reconnects by itself.
 */
export type Link = 'connecting' | 'online' | 'reconnecting' | 'replaced' | 'banned';

/** Why the last chat ended, from this user's point of view. */
export type EndReason = DisconnectReason | 'you-left' | 'you-blocked' | 'you-reported' | 'connection-lost' | 'state-lost';

export interface Room {
  id: string;
  commonInterests: string[];
  startedAt: number;
}

/** Which screen an inline error belongs to. */
export type ErrorScope = 'start' | 'search' | 'chat';

export interface AppState {
  phase: Phase;
  link: Link;
  userId: string | null;
  /** The interests the user picked on the start screen. */
  interests: string[];
  /** How the searches meet people (the start screen's choice): video seekers meet only video seekers. */
  searchMode: 'text' | 'video';
  /** The interests the current search was made with. */
  searchInterests: string[];
  /** True once the search has been open to everyone (random fallback). */
  widened: boolean;
  /** What the server's last pass over the pools saw for this search (`search-status`). */
  searchStatus: SearchStatusEvent | null;
  room: Room | null;
  /** Id of the last room, kept after the chat ends so late messages can be told apart. */
  lastRoomId: string | null;
  partnerTyping: boolean;
  /** The partner's connection dropped; the server holds the chat for a while. */
  partnerAway: boolean;
  endReason: EndReason | null;
  online: OnlineCountEvent | null;
  error: { scope: ErrorScope; text: string } | null;
  /** Set with link `banned`: the ban the server named. */
  ban: BanInfo | null;
}

export const INITIAL_STATE: Readonly<AppState> = Object.freeze({
  phase: 'idle',
  link: 'connecting',
  userId: null,
  interests: [],
  searchMode: 'text',
  searchInterests: [],
  widened: false,
  searchStatus: null,
  room: null,
  lastRoomId: null,
  partnerTyping: false,
  partnerAway: false,
  endReason: null,
  online: null,
  error: null,
  ban: null,
});

export type ListenerOf<S> = (state: Readonly<S>, previous: Readonly<S>) => void;
export type Listener = ListenerOf<AppState>;

export interface StoreOf<S> {
  get(): Readonly<S>;
  /** Merges `patch` into the state and notifies listeners when anything changed. */
  set(patch: Partial<S>): void;
  /** Calls `listener` now and after every change; returns an unsubscribe function. */
  subscribe(listener: ListenerOf<S>): () => void;
}

export type Store = StoreOf<AppState>;

/** A store for any plain state object (the chat's, the rooms'). */
export function createStoreOf<S extends object>(initial: S): StoreOf<S> {
  let state: Readonly<S> = initial;
  const listeners = new Set<ListenerOf<S>>();
  return {
    get: () => state,
    set(patch) {
      const changed = (Object.keys(patch) as (keyof S)[]).some((k) => patch[k] !== state[k]);
      if (!changed) return;
      const previous = state;
      state = { ...state, ...patch };
      for (const listener of listeners) listener(state, previous);
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(state, state);
      return () => listeners.delete(listener);
    },
  };
}

export function createStore(initial: AppState = { ...INITIAL_STATE }): Store {
  return createStoreOf(initial);
}
