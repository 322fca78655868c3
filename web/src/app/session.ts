/**
 * The connection's life as the page shows it (`link`): connecting, online,
 * reconnecting after a drop, paused because another tab took the identity
 * over, or banned. Also the identity the server issues on every connection
 * (kept for the next visit) and the presence figures that close its greeting.
 *
 * Neither a pause nor a ban reconnects by itself (the client stops): an
 * automatic reconnect would take the identity back from the other tab, or be
 * refused again. Reconnecting after a drop, with backoff, and after a refusal
 * that is not a ban is the client's (@parley/client).
 */
import type { ParleyClient } from './connection';
import { banOf, type BanInfo } from '../moderation/banned';
import type { AppState, Phase, Store } from './state';

/** What the chat does when the connection changes under it. */
export interface SessionHooks {
  /** Online again after a drop; `phase` is where the chat was when the connection came back. */
  reconnected(phase: Phase): void;
  /** The connection dropped (Socket.IO retries it). */
  dropped(): void;
  /** The server's greeting is complete (the online count closes it). */
  greeted(): void;
  /** The page stops (a ban, another tab): the chat stops too and returns its part of the state to set with the link. */
  halted(why: 'banned' | 'replaced'): Partial<AppState>;
}

export interface Session {
  /** The server refuses this identity or address: say so, and stop trying. */
  banned(ban: BanInfo): void;
  /** Another tab took this identity over: pause here. */
  replaced(): void;
  /** After another tab took over: takes the identity back to this tab. */
  reconnectHere(): void;
}

export function watchSession(client: ParleyClient, store: Store, hooks: SessionHooks): Session {
  /** Banned while connected: one more handshake, once the client stopped, learns for how long. */
  let askBanEnd = false;

  function banned(ban: BanInfo) {
    if (ban.until === undefined && store.get().link !== 'banned') askBanEnd = true;
    store.set({ link: 'banned', ban, ...hooks.halted('banned') });
  }

  function replaced() {
    // The client stops by itself on SESSION_REPLACED: no automatic reconnect takes the identity back from the other tab.
    store.set({ link: 'replaced', ...hooks.halted('replaced') });
  }

  client.on('connect', () => {
    const { phase, link } = store.get();
    store.set({ link: 'online', ban: null });
    if (link !== 'reconnecting') return;
    // A dropped connection ends a search; a chat is held for a grace period and resumed.
    hooks.reconnected(phase);
  });

  client.on('disconnect', () => {
    const { link } = store.get();
    if (link === 'replaced' || link === 'banned') return;
    hooks.dropped();
    store.set({ link: 'reconnecting' });
  });

  client.on('connect_error', (error) => {
    const ban = banOf(error);
    if (ban) return banned(ban);
    const { link } = store.get();
    if (link === 'online' || link === 'connecting') store.set({ link: 'reconnecting' });
  });

  client.on('closed', ({ error }) => {
    if (error?.code !== 'BANNED' || !askBanEnd) return;
    askBanEnd = false;
    client.reconnect();
  });

  client.on('session', ({ userId, counts }) => {
    // The client keeps the token (localStorage `parley.token`) for the next visit.
    // The figures come with the greeting, already counting this connection.
    store.set(counts ? { userId, online: counts } : { userId });
  });

  client.on('online-count', (online) => {
    store.set({ online });
    hooks.greeted();
  });

  return {
    banned,
    replaced,
    reconnectHere() {
      store.set({ link: 'connecting', error: null });
      client.reconnect();
    },
  };
}
