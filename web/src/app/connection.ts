/** The Socket.IO connection, typed against parley's protocol, and acked requests over it. */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  FindMatchPayload,
  HandshakeAuth,
  MatchState,
  SendMessagePayload,
  ServerToClientEvents,
} from '@parley/protocol';
import { problemOf, type Problem } from './errors';
import { readToken } from './identity';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An ack, with server errors and local failures (timeout) folded into one `problem`. */
export type Outcome<T extends object = object> = ({ ok: true } & T) | { ok: false; problem: Problem };

/** How long to wait for an ack before calling the request failed. */
export const ACK_TIMEOUT_MS = 10_000;

/**
 * Opens the socket (not yet connected). The handshake is rebuilt on every
 * attempt: a reconnect presents the identity the server issued last and the
 * last message seen, so a resumed chat replays only what was missed.
 */
export function openSocket(
  lastSeenId: () => string | undefined,
  url?: string,
  /** The proof-of-work payload for a handshake (solved on demand), if the server wants one. */
  proof?: (newIdentity: boolean) => Promise<string | undefined>,
): ParleySocket {
  const options = {
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    // If long-polling is blocked on the way, try WebSocket too instead of giving up.
    tryAllTransports: true,
    auth: (cb: (data: HandshakeAuth) => void) => {
      const auth: HandshakeAuth = {};
      const token = readToken();
      const seen = lastSeenId();
      if (token) auth.token = token;
      if (seen) auth.lastSeenId = seen;
      if (!proof) return cb(auth);
      void proof(!token).then((pow) => {
        if (pow) auth.pow = pow;
        cb(auth);
      });
    },
  };
  return url ? io(url, options) : io(options);
}

/** Runs an acked request; never rejects. */
export function settle<T extends object>(run: () => Promise<Ack<T>>): Promise<Outcome<T>> {
  return run().then(
    (ack) => (ack.ok ? ack : { ok: false as const, problem: problemOf(ack.error) }),
    () => ({ ok: false as const, problem: 'TIMEOUT' as const }),
  );
}

/** The acked client events, as promises that never reject. */
export function requests(socket: ParleySocket, timeoutMs = ACK_TIMEOUT_MS) {
  const s = () => socket.timeout(timeoutMs);
  return {
    findMatch: (payload: FindMatchPayload) =>
      settle<{ state: MatchState }>(() => s().emitWithAck('find-match', payload)),
    nextMatch: (payload: FindMatchPayload) =>
      settle<{ state: MatchState }>(() => s().emitWithAck('next-match', payload)),
    cancelMatch: () => settle(() => s().emitWithAck('cancel-match', {})),
    leaveRoom: () => settle(() => s().emitWithAck('leave-room', {})),
    block: () => settle(() => s().emitWithAck('block', {})),
    sendMessage: (payload: SendMessagePayload) =>
      settle<{ message: { id: string; sentAt: number } }>(() => s().emitWithAck('send-message', payload)),
    /** Fire and forget, and dropped while offline: a lost typing flag is harmless. */
    typing: (isTyping: boolean) => {
      if (socket.connected) socket.emit('typing', { isTyping });
    },
  };
}

export type Requests = ReturnType<typeof requests>;
