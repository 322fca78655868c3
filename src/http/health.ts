/**
 * GET /health: liveness, whether the store answers, and (with DATABASE_URL)
 * whether PostgreSQL answers — reported only: the node keeps serving while
 * PostgreSQL is down, so its outage never turns /health into a 503.
 * GET /health/ready: readiness for new clients; 503 while the node drains.
 */
import { Router } from 'express';
import type { HealthResponse, ReadinessResponse } from '../protocol';
import type { PostgresProbe } from '../store/postgres/pool';
import type { MatchStore } from '../store/match-store';

const PING_TIMEOUT_MS = 1000;

async function storeUp(store: MatchStore): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref());
  return Promise.race([store.ping(), timeout]);
}

export function healthRouter(
  nodeId: string,
  store: MatchStore,
  startedAt: number,
  draining: () => boolean,
  postgres?: PostgresProbe,
): Router {
  const router = Router();
  router.get('/health/ready', async (_req, res) => {
    const status = draining() ? 'draining' : (await storeUp(store)) ? 'ready' : 'unavailable';
    res.status(status === 'ready' ? 200 : 503).json({ status, nodeId } satisfies ReadinessResponse);
  });
  router.get('/health', async (_req, res) => {
    const [up, postgresUp] = await Promise.all([storeUp(store), postgres?.ping(PING_TIMEOUT_MS)]);
    res.status(up ? 200 : 503).json({
      status: up ? 'ok' : 'unavailable',
      nodeId,
      store: store.kind,
      ...(postgresUp === undefined ? {} : { postgres: postgresUp ? 'up' : 'down' }),
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
    } satisfies HealthResponse);
  });
  return router;
}
