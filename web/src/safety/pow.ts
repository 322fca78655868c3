/**
 * The "Checking your browser…" step: when the server asks new identities for
 * proof of work, the client (@parley/client) fetches a challenge before the
 * handshake and hands it to this solver, which solves it in a worker and
 * shows a banner meanwhile. A refusal with POW_REQUIRED (an expired or used
 * solution, or a token the server no longer accepts) makes the client's next
 * attempt solve again.
 */
import type { PowChallenge, PowSolver } from '@parley/client';
import { show } from '../app/dom';

/** Longest the page waits for the worker before it connects without a solution (and is refused). */
const SOLVE_TIMEOUT_MS = 60_000;

function solveInWorker(challenge: PowChallenge): Promise<string | undefined> {
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

/** The client's proof-of-work solver: the page's Worker, with the banner shown while it runs. */
export function createPowSolver(banner: HTMLElement): PowSolver {
  return async (challenge) => {
    show(banner, true);
    document.documentElement.dataset.pow = 'checking';
    try {
      return await solveInWorker(challenge);
    } finally {
      show(banner, false);
      delete document.documentElement.dataset.pow;
    }
  };
}
