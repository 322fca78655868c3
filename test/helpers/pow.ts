/** Solving proof-of-work challenges as the web client's worker does. */
import { solveChallenge } from 'altcha-lib/v1';
import type { PowChallenge } from '../../src/moderation/proof-of-work';

/** The `auth.pow` payload for a challenge: base64 JSON of the challenge and the number found. */
export async function solve(challenge: PowChallenge): Promise<string> {
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
  if (!solution) throw new Error('no solution');
  const { algorithm, salt, signature } = challenge;
  return Buffer.from(JSON.stringify({ algorithm, challenge: challenge.challenge, number: solution.number, salt, signature })).toString('base64');
}

/** Fetches GET /api/challenge from a node and solves it. */
export async function solveFrom(url: string): Promise<string> {
  const res = await fetch(`${url}/api/challenge`);
  if (!res.ok) throw new Error(`GET /api/challenge answered ${res.status}`);
  return solve((await res.json()) as PowChallenge);
}
