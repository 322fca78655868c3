/** The Express app of a node: security headers, JSON endpoints, the web client. */
import { existsSync } from 'node:fs';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { trustFunction } from '../client-address';
import type { Config } from '../config';
import type { ClusterStats } from '../realtime/online-count';
import type { PostgresProbe } from '../store/postgres/pool';
import type { RoomService } from '../rooms/room-service';
import type { MatchStore } from '../store/match-store';
import type { AdminService } from '../moderation/admin-service';
import type { IpHasher } from '../moderation/ip-hash';
import { adminRouter } from './admin/router';
import { appShell } from './app-shell';
import type { Clock } from '../clock';
import type { ProofOfWork } from '../moderation/proof-of-work';
import type { Rules } from '../moderation/rules';
import { clientConfigRouter } from './client-config';
import { errorHandler } from './error-handler';
import { healthRouter } from './health';
import { roomsRouter } from './rooms';
import { safetyRouter } from './safety';
import { statsRouter } from './stats';

export interface AppOptions {
  config: Config;
  store: MatchStore;
  /** Reads the cluster-wide figures for /stats. */
  stats: () => Promise<ClusterStats>;
  startedAt: number;
  /** Folder of the built web client; skipped when it does not exist. */
  publicDir: string;
  /** True once the node drains (readiness turns 503). */
  draining: () => boolean;
  /** Prometheus registry served at /metrics. */
  metrics: Registry;
  /** PostgreSQL, reported by /health; undefined without DATABASE_URL. */
  postgres?: PostgresProbe;
  /** Topic rooms, served under /api/rooms. */
  rooms: RoomService;
  /** The operator console's actions (served only with ADMIN_TOKEN). */
  admin: AdminService;
  hashIp: IpHasher;
  /** The user id of a valid identity token, else null (private rooms' history). */
  identify: (token: string | undefined) => string | null;
  /** The rules served at /rules, whose version /api/config names. */
  rules: Rules;
  /** Challenges for GET /api/challenge. */
  pow: ProofOfWork;
  clock: Clock;
  /** Where errors no route answered are logged. */
  logger: Logger;
}

/**
 * Helmet's headers. HSTS and the CSP's `upgrade-insecure-requests` only on a
 * request that came over HTTPS (req.secure: TLS at the node, or
 * X-Forwarded-Proto from a trusted proxy): over plain HTTP, browsers would
 * rewrite every asset and socket URL to https:// and fail.
 */
function securityHeaders(): express.RequestHandler {
  // The installable app: its manifest and its service worker (and the proof-of-work worker) come from this origin only.
  const installable = { manifestSrc: ["'self'"], workerSrc: ["'self'"] };
  const overTls = helmet({ contentSecurityPolicy: { directives: installable } });
  const overPlainHttp = helmet({
    strictTransportSecurity: false,
    contentSecurityPolicy: { directives: { ...installable, upgradeInsecureRequests: null } },
  });
  return (req, res, next) => (req.secure ? overTls : overPlainHttp)(req, res, next);
}

export function createApp(options: AppOptions): express.Express {
  const { config } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustFunction(config.trustProxy));
  app.use(securityHeaders());
  app.use(healthRouter(config.nodeId, options.store, options.startedAt, options.draining, options.postgres));
  app.get('/metrics', async (_req, res) => {
    const registry = options.metrics;
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.use(statsRouter(options.stats, () => options.store.waitingByLanguage()));
  app.use(clientConfigRouter(config, options.rules));
  app.use(safetyRouter({ config, rules: options.rules, pow: options.pow, clock: options.clock }));
  app.use(roomsRouter(options.rooms, options.identify, config.roomsListCacheMs));
  if (config.adminToken) app.use(adminRouter({ token: config.adminToken, service: options.admin, hashIp: options.hashIp, publicDir: options.publicDir }));
  if (existsSync(options.publicDir)) {
    app.use(appShell(options.publicDir));
  }
  app.use(errorHandler(options.logger));
  return app;
}

