/**
 * The "Checking your browser…" step: when the server asks new identities for
 * proof of work, the page fetches a challenge and solves it in a worker before
 * the handshake, showing a banner meanwhile. A refusal with POW_REQUIRED (an
 * expired or used solution, or a token the server no longer accepts) makes the
 * next attempt solve again.
 */
import { show } from '../app/dom';

export interface ProofOfWork {
  /** The `auth.pow` payload for the next handshake, or undefined when none is needed. */
  solution(newIdentity: boolean): Promise<string | undefined>;
  /** The server refused the handshake with POW_REQUIRED. */
  markRequired(): void;
}

/** Longest the page waits for the worker before it connects without a solution (and is refused). */
const SOLVE_TIMEOUT_MS = 60_000;

function solveInWorker(challenge: unknown): Promise<string | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker('/pow-worker.js');
    const done = (payload: string | undefined) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(payload);
    };
    const timer = setTimeout(() => done(undefined), SOLVE_TIMEOUT_MS);
    worker.onmessage = (event: MessageEvent<string | null>) => done(event.data ?? undefined);
    worker.onerror = () => done(undefined);
    worker.postMessage(challenge);
  });
}

export function createProofOfWork(enabled: boolean, banner: HTMLElement): ProofOfWork {
  let required = false;
  return {
    markRequired() {
      required = true;
    },
    async solution(newIdentity) {
      if (!enabled || (!newIdentity && !required)) return undefined;
      required = false;
      show(banner, true);
      document.documentElement.dataset.pow = 'checking';
      try {
        const res = await fetch('/api/challenge', { headers: { accept: 'application/json' }, cache: 'no-store' });
        if (!res.ok) return undefined;
        return await solveInWorker(await res.json());
      } catch {
        return undefined;
      } finally {
        show(banner, false);
        delete document.documentElement.dataset.pow;
      }
    },
  };
}
