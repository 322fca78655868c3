/**
 * The proof-of-work solver, run as a Web Worker (/pow-worker.js) so the page
 * stays responsive: it receives a challenge from GET /api/challenge, finds the
 * number with ALTCHA's solver and answers with the `auth.pow` payload (base64
 * JSON), or with null when there is no solution.
 */
import { solveChallenge } from 'altcha-lib/v1';

interface PowChallenge {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<PowChallenge>) => void) | null;
  postMessage(message: string | null): void;
};

scope.onmessage = (event) => {
  const c = event.data;
  solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise.then(
    (solution) => {
      if (!solution) return scope.postMessage(null);
      const payload = { algorithm: c.algorithm, challenge: c.challenge, number: solution.number, salt: c.salt, signature: c.signature };
      scope.postMessage(btoa(JSON.stringify(payload)));
    },
    () => scope.postMessage(null),
  );
};
