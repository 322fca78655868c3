/** GET /health: liveness, and whether the store answers. */
import { Router } from 'express';
import type { MatchStore } from '../store/store';

const PING_TIMEOUT_MS = 1000;

export function healthRouter(nodeId: string, store: MatchStore, startedAt: number): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref());
    const up = await Promise.race([store.ping(), timeout]);
    res.status(up ? 200 : 503).json({
      status: up ? 'ok' : 'unavailable',
      nodeId,
      store: store.kind,
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
    });
  });
  return router;
}
