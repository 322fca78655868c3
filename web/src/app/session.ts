/**
 * The connection's life as the page shows it (`link`): connecting, online,
 * reconnecting after a drop, paused because another tab took the identity
 * over, or banned. Also the identity the server issues on every connection
 * (kept for the next visit) and the presence figures that close its greeting.
 *
 * Neither a pause nor a ban reconnects by itself: an automatic reconnect would
 * take the identity back from the other tab, or be refused again. A refusal
 * that is not a ban is retried after a pause, since Socket.IO gives up on it.
 */
import type { ParleySocket } from './connection';
import { saveToken } from './identity';
import { banOf, type BanInfo } from '../moderation/banned';
import type { AppState, Phase, Store } from './state';

/** Wait before connecting again after the server refused a connection. */
const RETRY_AFTER_REFUSAL_MS = 3000;

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

export function watchSession(socket: ParleySocket, store: Store, hooks: SessionHooks): Session {
  function banned(ban: BanInfo) {
    store.set({ link: 'banned', ban, ...hooks.halted('banned') });
    socket.disconnect();
  }

  function replaced() {
    store.set({ link: 'replaced', ...hooks.halted('replaced') });
    socket.disconnect(); // no automatic reconnect: it would take the identity back from the other tab
  }

  socket.on('connect', () => {
    const { phase, link } = store.get();
    store.set({ link: 'online', ban: null });
    if (link !== 'reconnecting') return;
    // A dropped connection ends a search; a chat is held for a grace period and resumed.
    hooks.reconnected(phase);
  });

  socket.on('disconnect', (reason) => {
    const { link } = store.get();
    if (link === 'replaced' || link === 'banned') return;
    hooks.dropped();
    store.set({ link: 'reconnecting' });
    if (reason === 'io server disconnect') socket.connect(); // the server closed us; come back
  });

  socket.on('connect_error', (err) => {
    const ban = banOf(err);
    if (ban) return banned(ban);
    const { link } = store.get();
    if (link === 'banned') return;
    if (link === 'online' || link === 'connecting') store.set({ link: 'reconnecting' });
    // Refused by the server (not a network failure): Socket.IO gives up, so try again later.
    if (!socket.active) setTimeout(() => store.get().link === 'reconnecting' && socket.connect(), RETRY_AFTER_REFUSAL_MS);
  });

  socket.on('session', ({ userId, token, counts }) => {
    saveToken(token);
    // The figures come with the greeting, already counting this connection.
    store.set(counts ? { userId, online: counts } : { userId });
  });

  socket.on('online-count', (online) => {
    store.set({ online });
    hooks.greeted();
  });

  return {
    banned,
    replaced,
    reconnectHere() {
      store.set({ link: 'connecting', error: null });
      socket.connect();
    },
  };
}
