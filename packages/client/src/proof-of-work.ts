/**
 * Proof of work for a new identity: when the server asks for it
 * (POW_DIFFICULTY > 0), a handshake without a token carries a solved ALTCHA
 * challenge from GET /api/challenge in `auth.pow`. The server answers 404 when
 * proof of work is off: then nothing is sent.
 */
import { solveChallenge } from 'altcha-lib/v1';

/** Solves a challenge (the JSON of GET /api/challenge) into the `auth.pow` payload, or undefined when it cannot. */
export type PowSolver = (challenge: PowChallenge) => Promise<string | undefined>;

export interface PowChallenge {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

/** Base64 of a string of ASCII (the payload is JSON of ASCII fields), in browsers and Node alike. */
function base64(text: string): string {
  return globalThis.btoa(text);
}

/** ALTCHA's own solver, on this thread (a page that wants a Worker passes its own PowSolver). */
export const solveWithAltcha: PowSolver = async (c) => {
  const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
  if (!solution) return undefined;
  return base64(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: solution.number, salt: c.salt, signature: c.signature }));
};

/** Fetches a challenge from the server at `baseUrl` and solves it; undefined when proof of work is off or failed. */
export async function proofOfWork(baseUrl: string, solve: PowSolver): Promise<string | undefined> {
  const res = await fetch(new URL('/api/challenge', baseUrl), { headers: { accept: 'application/json' } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET /api/challenge answered ${res.status}`);
  return solve((await res.json()) as PowChallenge);
}
