/** Sending fuzz emits over real sockets and judging every answer. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ERROR_CODES } from '../../src/protocol';
import type { Client } from '../helpers/clients';
import { ALLOWED_ERRORS, isValidPayload, type ClientEvent, type FuzzEmit } from './generator';

export const ACK_TIMEOUT_MS = 5000;

/** A garbage collector even when node runs without --expose-gc (no-op if V8 refuses). */
export function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    if (typeof gc === 'function') return gc;
  } catch {
    // fall through
  }
  return () => undefined;
}

export interface FuzzTally {
  sent: number;
  acked: number;
  unacked: number;
  /** Emits the client library itself refused to serialise (never sent). */
  refusedByClient: number;
  validSent: number;
  answers: Map<string, number>;
  problems: string[];
}

export const newTally = (): FuzzTally => ({
  sent: 0,
  acked: 0,
  unacked: 0,
  refusedByClient: 0,
  validSent: 0,
  answers: new Map(),
  problems: [],
});

const errorCodes: readonly string[] = ERROR_CODES;
const describe = (emit: FuzzEmit): string => {
  const text = JSON.stringify([emit.event, ...emit.args], (_k, v: unknown) =>
    ArrayBuffer.isView(v) || v instanceof ArrayBuffer ? '<binary>' : v,
  );
  return (text ?? '').slice(0, 200);
};

/** Checks one ack against the protocol; returns a problem or null. */
export function judgeAck(emit: FuzzEmit, valid: boolean, response: unknown): string | null {
  if (typeof response !== 'object' || response === null) return `non-object ack ${String(response)}`;
  const r = response as { ok?: unknown; error?: { code?: unknown; message?: unknown }; state?: unknown; message?: unknown };
  if (r.ok === false) {
    const keys = Object.keys(r).sort().join(',');
    const code = String(r.error?.code);
    if (keys !== 'error,ok' || typeof r.error?.message !== 'string' || Object.keys(r.error ?? {}).length !== 2) {
      return `malformed error ack ${JSON.stringify(r)}`;
    }
    if (!errorCodes.includes(code)) return `unknown code ${code}`;
    if (!valid) return code === 'INVALID_PAYLOAD' ? null : `invalid payload answered ${code}`;
    if (!ALLOWED_ERRORS[emit.event as ClientEvent].includes(code)) return `valid payload answered ${code}`;
    return null;
  }
  if (r.ok !== true) return `ack without ok: ${JSON.stringify(r).slice(0, 100)}`;
  if (!valid) return 'invalid payload accepted';
  if (emit.event === 'find-match' || emit.event === 'next-match') {
    return r.state === 'waiting' || r.state === 'matched' ? null : `bad state ${String(r.state)}`;
  }
  if (emit.event === 'send-message') {
    const m = r.message as { id?: unknown; sentAt?: unknown } | undefined;
    return typeof m?.id === 'string' && typeof m.sentAt === 'number' ? null : `bad message ack ${JSON.stringify(r)}`;
  }
  return Object.keys(r).length === 1 ? null : `unexpected ack fields ${JSON.stringify(r)}`;
}

/**
 * Sends a batch (≤ 20 emits: the node cuts off a client after more than 20
 * invalid events in 10 s) on one connection; every ack must come back and be
 * right, and every unacked invalid emit must produce one INVALID_PAYLOAD `error`.
 */
export async function sendBatch(socket: Client, batch: FuzzEmit[], tally: FuzzTally): Promise<void> {
  const invalidErrors: string[] = [];
  socket.on('error', (e: { code?: string }) => {
    if (!errorCodes.includes(String(e?.code))) tally.problems.push(`error event with unknown code ${JSON.stringify(e)}`);
    if (e?.code === 'INVALID_PAYLOAD') invalidErrors.push(e.code);
  });
  let expectedInvalidErrors = 0;
  let droppedAt: string | undefined;
  socket.on('disconnect', (reason) => (droppedAt = reason));
  const pending: Promise<void>[] = [];
  for (const emit of batch) {
    const args = emit.strayFunction ? [...emit.args, () => undefined] : emit.args;
    const valid = isValidPayload(emit.event, emit.strayFunction ? [...emit.args, null] : emit.args);
    const raw = socket as unknown as {
      emit(event: string, ...a: unknown[]): void;
      timeout(ms: number): { emitWithAck(event: string, ...a: unknown[]): Promise<unknown> };
    };
    try {
      if (emit.withAck) {
        const answer = raw.timeout(ACK_TIMEOUT_MS).emitWithAck(emit.event, ...args);
        tally.acked++;
        pending.push(
          answer.then(
            (response) => {
              const problem = judgeAck(emit, valid, response);
              const key = `${emit.event}:${(response as { ok?: boolean }).ok ? 'ok' : String((response as { error?: { code?: string } }).error?.code)}`;
              tally.answers.set(key, (tally.answers.get(key) ?? 0) + 1);
              if (problem) tally.problems.push(`${problem} ← ${describe(emit)}`);
            },
            (err: Error) => {
              // socket.io-client itself may fail to serialise a hostile object (e.g. a Date prototype).
              if (!droppedAt && !/timed out|disconnected/.test(err.message)) {
                tally.refusedByClient++;
                return;
              }
              tally.problems.push(`no ack (${err.message}; ${droppedAt ?? 'connected'}) ← ${describe(emit)}`);
            },
          ),
        );
      } else {
        raw.emit(emit.event, ...args);
        tally.unacked++;
        if (!valid) expectedInvalidErrors++;
      }
      tally.sent++;
      if (valid) tally.validSent++;
    } catch {
      tally.refusedByClient++;
    }
  }
  await Promise.all(pending);
  const deadline = Date.now() + ACK_TIMEOUT_MS;
  while (invalidErrors.length < expectedInvalidErrors && Date.now() < deadline && !droppedAt) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (invalidErrors.length !== expectedInvalidErrors) {
    tally.problems.push(`expected ${expectedInvalidErrors} INVALID_PAYLOAD error events, got ${invalidErrors.length}`);
  }
  if (droppedAt) tally.problems.push(`connection dropped during a batch: ${droppedAt}`);
}
