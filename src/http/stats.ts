/** GET /stats: cluster-wide presence and each live node's connections. */
import { Router } from 'express';
import type { HttpError } from '../protocol';
import type { ClusterStats } from '../realtime/online-count';

export function statsRouter(stats: () => Promise<ClusterStats>): Router {
  const router = Router();
  router.get('/stats', async (_req, res) => {
    try {
      res.json(await stats());
    } catch {
      res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'Statistics are unavailable right now.' } } satisfies HttpError);
    }
  });
  return router;
}
