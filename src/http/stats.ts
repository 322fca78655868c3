/** GET /stats: cluster-wide presence, each live node's connections, and waiting users per language. */
import { Router } from 'express';
import { languageBuckets } from '../matchmaking/languages';
import type { HttpError, StatsResponse } from '../protocol';
import type { ClusterStats } from '../realtime/online-count';
import { WAITING_ANY_LANGUAGE } from '../store/match-pools';

export function statsRouter(stats: () => Promise<ClusterStats>, waitingByLanguage: () => Promise<Record<string, number>>): Router {
  const router = Router();
  router.get('/stats', async (_req, res) => {
    try {
      const figures = await stats();
      const body: StatsResponse = { ...figures, waitingByLanguage: languageBuckets(await waitingByLanguage(), WAITING_ANY_LANGUAGE) };
      res.json(body);
    } catch {
      res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'Statistics are unavailable right now.' } } satisfies HttpError);
    }
  });
  return router;
}
