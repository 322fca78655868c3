/** GET /stats: cluster-wide presence and each live node's connections. */
import { Router } from 'express';
import type { OnlineCounter } from '../realtime/online-count';

export function statsRouter(online: OnlineCounter): Router {
  const router = Router();
  router.get('/stats', async (_req, res) => {
    try {
      res.json(await online.stats());
    } catch {
      res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'Statistics are unavailable right now.' } });
    }
  });
  return router;
}
