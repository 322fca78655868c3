/**
 * The page's connection: one @parley/client client for the whole page. The
 * SDK keeps the stream contract (resume by seq, rooms re-joined from their
 * last seq, DM conversations synced, holes filled, duplicates dropped) and
 * queues sends until they are acknowledged, retrying them with their
 * clientId; the page turns its promises into outcomes that never reject.
 */
import { connect, type ParleyClient, type PowSolver } from '@parley/client';
import type { FindMatchPayload, MatchState, SendMessagePayload } from '@parley/protocol';
import { problemOf, type Problem } from './errors';
import { pageTokenStore } from './identity';

export type { ParleyClient };

/** An ack, with server errors and local failures (timeout) folded into one `problem`. */
export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure;

/** A refused or failed request: its problem, and for MUTED when it ends (`until`), for SLOW_MODE when to send again (`retryAfterMs`). */
export interface Failure {
  ok: false;
  problem: Problem;
  until?: number;
  retryAfterMs?: number;
}

/** How long a request waits for a connection, then for its ack. */
export const ACK_TIMEOUT_MS = 10_000;

/**
 * Opens the page's client to the server at `url`: it starts connecting at
 * once, and its events wait until `release()`, so the page connects while its
 * limits load and misses nothing (the greeting included) meanwhile.
 */
export function openClient(url: string, powSolver: PowSolver): ParleyClient {
  return connect(url, {
    holdEvents: true,
    tokenStore: pageTokenStore,
    powSolver,
    ackTimeoutMs: ACK_TIMEOUT_MS,
    reconnectionDelayMs: 500,
    reconnectionDelayMaxMs: 5000,
    // If long-polling is blocked on the way, try WebSocket too instead of giving up.
    socketOptions: { tryAllTransports: true },
  });
}

/** The problem behind a rejected request: the server's code, or TIMEOUT for anything local (no ack, no connection). */
export function failureProblem(err: unknown): Problem {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 'TIMEOUT' || code === 'DISCONNECTED' || code === 'CLOSED' || code === 'CONNECT_FAILED') return 'TIMEOUT';
  return problemOf({ code: code as never });
}

function failureOf(err: unknown): Failure {
  const data = (err as { data?: { until?: unknown; retryAfterMs?: unknown } } | undefined)?.data;
  return {
    ok: false,
    problem: failureProblem(err),
    ...(typeof data?.until === 'number' ? { until: data.until } : {}),
    ...(typeof data?.retryAfterMs === 'number' ? { retryAfterMs: data.retryAfterMs } : {}),
  };
}

/** Runs a request; never rejects. */
export function settle<T extends object>(run: () => Promise<T>): Promise<Outcome<T>> {
  return run().then(
    (result) => ({ ok: true as const, ...result }),
    (err: unknown) => failureOf(err),
  );
}

/** Fire and forget, and dropped while offline: a lost typing flag is harmless. */
export function typingSignal(client: ParleyClient, send: (c: ParleyClient) => Promise<unknown>): void {
  if (client.connected) send(client).catch(() => undefined);
}

/** The one-to-one chat's requests, as promises that never reject. */
export function requests(client: ParleyClient) {
  return {
    findMatch: (payload: FindMatchPayload) => settle<{ state: MatchState }>(() => client.findMatch(payload)),
    nextMatch: (payload: FindMatchPayload) => settle<{ state: MatchState }>(() => client.next(payload)),
    cancelMatch: () => settle(() => client.cancel()),
    leaveRoom: () => settle(() => client.leave()),
    block: () => settle(() => client.block()),
    /** Queued until acknowledged: waits out a dropped connection and is retried with its clientId, stored once. */
    sendMessage: ({ text, replyTo }: SendMessagePayload) =>
      settle(async () => ({ message: await client.send(text, replyTo ? { replyTo } : {}) })),
    typing: (isTyping: boolean) => typingSignal(client, (c) => c.typing(isTyping)),
  };
}

export type Requests = ReturnType<typeof requests>;
