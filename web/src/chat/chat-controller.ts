/**
 * The one-to-one chat's flow: turns server events into state changes and user
 * actions into requests. The search for a partner is in partner-search.ts; the
 * connection's life (online, reconnecting, paused, banned) in app/session.ts,
 * which tells this flow when to pick a search or a chat up again and when to
 * stop. The views only read the store and the message log, and call these
 * actions.
 *
 * The client (@parley/client) keeps the chat's stream: after a reconnect it
 * resumes from the last seq held, and every message, the partner's and the
 * user's own once acknowledged, arrives once and in order as `message`. A
 * send made while offline waits in the client's queue (shown as sending) and
 * goes out, with its clientId, once the connection is back: stored once.
 */
import type { ParleyClient, Requests } from '../app/connection';
import { describe, problemOf, type Problem } from '../app/errors';
import { watchSession } from '../app/session';
import { characterCount } from '../ui/length-counter';
import type { MessageLog } from './message-log';
import { chatMessages } from './chat-messages';
import { createPartnerSearch } from './partner-search';
import type { LanguagePayload } from './languages';
import type { Settings } from '../app/settings';
import type { ErrorScope, Store } from '../app/state';

export interface ChatActions {
  /** Searches for a partner with the given interests, by text or by video. */
  start(interests: string[], mode?: 'text' | 'video'): void;
  cancel(): void;
  /** Ends the chat and searches again with the same interests. */
  next(): void;
  /** After the partner left: searches again with the same interests. */
  findNew(): void;
  /** After a chat ended: back to the start screen to change interests. */
  backToStart(): void;
  leave(): void;
  /** Blocks the current or last partner and ends the chat. */
  block(): void;
  /** The server took a report of the current or last partner: it is blocked and the chat is over. */
  reported(): void;
  send(text: string): void;
  /** Sends a failed message again. */
  retry(key: string): void;
  typing(isTyping: boolean): void;
  /** After another tab took over: takes the identity back to this tab. */
  reconnectHere(): void;
  dismissError(): void;
}

export function createChatController(
  client: ParleyClient,
  api: Requests,
  store: Store,
  log: MessageLog,
  settings: Settings,
  /** The languages part of each search (languages.ts). */
  languages?: () => LanguagePayload,
): ChatActions {
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set on reconnecting in a chat: the server either resumes it or it is gone. */
  let awaitingResume = false;

  const fail = (scope: ErrorScope, problem: Problem) => {
    if (problem === 'SESSION_REPLACED') return session.replaced();
    store.set({ error: { scope, text: describe(problem, settings.maxMessageLength) } });
  };
  const partnerSearch = createPartnerSearch(api, store, settings, fail, languages);

  const setPartnerTyping = (isTyping: boolean) => {
    clearTimeout(typingTimer);
    store.set({ partnerTyping: isTyping });
    // The server clears the flag itself; this only guards against a lost `false`.
    if (isTyping) typingTimer = setTimeout(() => store.set({ partnerTyping: false }), settings.typingTimeoutMs + 1000);
  };

  const endChat = (reason: 'you-left' | 'you-blocked' | 'you-reported') => {
    const { room, lastRoomId } = store.get();
    partnerSearch.stopTimer();
    setPartnerTyping(false);
    store.set({
      phase: 'idle',
      room: null,
      lastRoomId: room?.id ?? lastRoomId,
      partnerAway: false,
      endReason: reason,
      error: null,
    });
  };

  const { deliver, received } = chatMessages(api, store, log, fail);

  // --- server events -------------------------------------------------------

  const session = watchSession(client, store, {
    reconnected(phase) {
      if (phase === 'searching') void partnerSearch.run(store.get().searchInterests, 'find');
      if (phase === 'chatting') awaitingResume = true;
    },
    dropped: () => setPartnerTyping(false),
    greeted() {
      // The server's greeting ends with the count: a chat not resumed by now is over.
      if (!awaitingResume) return;
      awaitingResume = false;
      if (store.get().phase === 'chatting') {
        setPartnerTyping(false);
        store.set({ phase: 'partner-left', partnerAway: false, endReason: 'connection-lost' });
      }
    },
    halted(why) {
      partnerSearch.end();
      if (why === 'replaced') {
        log.clear(); // taking over again resumes the chat from its full log
        return { phase: 'idle', room: null, partnerTyping: false, partnerAway: false, error: null };
      }
      awaitingResume = false;
      setPartnerTyping(false);
      return { phase: 'idle', room: null, partnerAway: false, error: null };
    },
  });

  /** The chat screen for a chat just matched or resumed. */
  const enterChat = (roomId: string, commonInterests: string[], startedAt: number): void => {
    store.set({
      phase: 'chatting',
      room: { id: roomId, commonInterests, startedAt },
      lastRoomId: roomId,
      widened: false,
      partnerAway: false,
      endReason: null,
      error: null,
    });
  };

  client.on('resumed', ({ roomId, commonInterests, startedAt }) => {
    awaitingResume = false;
    partnerSearch.end();
    if (store.get().room?.id !== roomId) log.clear();
    enterChat(roomId, commonInterests, startedAt);
    // What was missed follows as `message` events.
  });

  client.on('partner-away', ({ roomId }) => {
    if (store.get().room?.id !== roomId || store.get().phase !== 'chatting') return;
    setPartnerTyping(false);
    store.set({ partnerAway: true });
  });

  client.on('partner-back', ({ roomId }) => {
    if (store.get().room?.id === roomId) store.set({ partnerAway: false });
  });

  client.on('state-lost', () => {
    partnerSearch.end();
    awaitingResume = false;
    setPartnerTyping(false);
    log.clear();
    store.set({ phase: 'idle', room: null, partnerAway: false, endReason: 'state-lost', error: null });
  });

  client.on('search-status', (searchStatus) => {
    if (store.get().phase === 'searching') store.set({ searchStatus });
  });

  client.on('waiting', ({ interests }) => {
    if (store.get().phase === 'searching') store.set({ searchInterests: interests });
  });

  client.on('matched', ({ roomId, commonInterests, startedAt }) => {
    partnerSearch.end();
    log.clear();
    setPartnerTyping(false);
    enterChat(roomId, commonInterests, startedAt);
  });

  client.on('message', (m) => {
    const { phase, room } = store.get();
    if (room?.id !== m.roomId || (phase !== 'chatting' && phase !== 'partner-left')) return;
    if (!m.mine) setPartnerTyping(false);
    received(m);
  });

  client.on('partner-typing', ({ isTyping }) => {
    if (store.get().phase === 'chatting') setPartnerTyping(isTyping);
  });

  client.on('partner-disconnected', ({ roomId, reason }) => {
    const { room, phase } = store.get();
    if (phase !== 'chatting' || room?.id !== roomId) return;
    setPartnerTyping(false);
    store.set({ phase: 'partner-left', partnerAway: false, endReason: reason, error: null });
  });

  client.on('match-cancelled', () => {
    if (store.get().phase !== 'searching') return;
    partnerSearch.end();
    store.set({ phase: 'idle', endReason: null });
  });

  client.on('error', (error) => {
    const problem = problemOf(error);
    if (problem === 'BANNED') {
      // Banned while connected: one more handshake learns for how long (it is refused with `until`).
      session.banned({});
      return;
    }
    const { phase } = store.get();
    fail(phase === 'idle' ? 'start' : phase === 'searching' ? 'search' : 'chat', problem);
  });

  // --- user actions --------------------------------------------------------

  return {
    start(interests, searchMode = 'text') {
      store.set({ interests, searchMode });
      void partnerSearch.run(interests, 'find');
    },
    cancel() {
      partnerSearch.end();
      store.set({ phase: 'idle', endReason: null, error: null });
      void api.cancelMatch();
    },
    next() {
      if (store.get().phase !== 'chatting') return this.findNew();
      log.clear();
      void partnerSearch.run(store.get().interests, 'next');
    },
    findNew() {
      log.clear();
      void partnerSearch.run(store.get().interests, 'find');
    },
    backToStart() {
      log.clear();
      store.set({ phase: 'idle', room: null, endReason: null, error: null });
    },
    leave() {
      const chatting = store.get().phase === 'chatting';
      endChat('you-left');
      log.clear();
      if (chatting) void api.leaveRoom();
    },
    block() {
      endChat('you-blocked');
      log.clear();
      void api.block().then((outcome) => {
        if (!outcome.ok) fail('start', outcome.problem);
      });
    },
    reported() {
      const { phase } = store.get();
      if (phase === 'chatting' || phase === 'partner-left') {
        endChat('you-reported');
        log.clear();
      } else store.set({ endReason: 'you-reported' });
    },
    send(raw) {
      const text = raw.trim();
      if (store.get().phase !== 'chatting') return fail('chat', 'NOT_IN_CHAT');
      if (!text) return fail('chat', 'EMPTY_MESSAGE');
      if (characterCount(text) > settings.maxMessageLength) return fail('chat', 'MESSAGE_TOO_LONG');
      store.set({ error: null });
      const message = log.add({ id: null, from: 'me', text, at: Date.now(), delivery: 'sending' });
      void deliver(message.key, text);
    },
    retry(key) {
      const message = log.find(key);
      if (!message || message.delivery !== 'failed') return;
      if (store.get().phase !== 'chatting') return fail('chat', 'NOT_IN_CHAT');
      store.set({ error: null });
      void deliver(key, message.text);
    },
    typing(isTyping) {
      if (store.get().phase === 'chatting') api.typing(isTyping);
    },
    reconnectHere: () => session.reconnectHere(),
    dismissError() {
      store.set({ error: null });
    },
  };
}
