/**
 * The operator console's JSON API (docs/moderation.md; the shapes are
 * src/protocol/admin-api.ts, which the console reads too), all behind adminGate:
 *   GET    /api/admin/reports?status=open|closed       → { groups }
 *   GET    /api/admin/reports/:id                      → { report, group } | 404
 *   GET    /api/admin/reports/:id/frame                → image/jpeg | 404 (the reporter's frame, audited)
 *   POST   /api/admin/reports/:id/resolve              { action, durationMs?, banIp? } → { report, bans }
 *   GET    /api/admin/bans                             → { bans } (in force)
 *   DELETE /api/admin/bans/:id                         → 204 | 404
 *   GET    /api/admin/audit?limit=                     → { entries } (newest first)
 *   GET    /api/admin/rooms/:code/messages?before=&limit= → { messages, hasMore } | 404 (any room, audited)
 *   DELETE /api/admin/rooms/:code/messages/:seq        → 204 | 404
 *   GET    /api/admin/rooms                            → { rooms } (every room, with its open reports)
 *   DELETE /api/admin/rooms/:code                      → 204 | 404 (members are told; audited)
 * With ADMIN_TOKEN unset none of this exists (404), nor the /admin page.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { ClientError } from '../../errors';
import type { AdminService } from '../../moderation/admin-service';
import type { IpHasher } from '../../moderation/ip-hash';
import type {
  AuditResponse,
  HttpError,
  HttpErrorCode,
  BansResponse,
  ReportQueueResponse,
  ReportResponse,
  Resolution,
  ResolveResponse,
  RoomHistoryPage,
  RoomsResponse,
} from '../../protocol';
import { CODE, pageQuery } from '../rooms';
import { adminGate } from './auth';

/** A report's or a ban's id. */
export const ID = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** `?status=` of the report queue. */
export const statusQuery = z.object({ status: z.enum(['open', 'closed']).default('open') });
/** `?limit=` of the audit log. */
export const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });
const YEAR_MS = 366 * 86_400_000;
/** The body of POST /api/admin/reports/:id/resolve. */
export const resolveBody = z
  .object({
    action: z.enum(['dismiss', 'ban']),
    durationMs: z.number().int().min(60_000).max(100 * YEAR_MS).optional(),
    banIp: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.action === 'ban' || (b.durationMs === undefined && b.banIp === undefined), {
    message: 'durationMs and banIp go with action "ban" only',
  });
const roomCode = z.string().regex(CODE);
/** The route parameters of one room message. */
export const roomMessage = z.object({ code: roomCode, seq: z.coerce.number().int().min(1) });

function send(res: Response, status: number, code: HttpErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } } satisfies HttpError);
}

export interface AdminRouterOptions {
  token: string;
  service: AdminService;
  hashIp: IpHasher;
  /** Folder of the built web client, holding admin.html. */
  publicDir: string;
}

export function adminRouter(options: AdminRouterOptions): Router {
  const router = Router();
  const api = Router();
  const gate = adminGate(options.token);
  api.use(gate, express.json({ limit: '16kb' }));
  const actor = (ip: string | undefined) => options.hashIp(ip ?? 'unknown');
  const wrap =
    (fn: (req: express.Request, res: Response) => Promise<void>) =>
    async (req: express.Request, res: Response): Promise<void> => {
      try {
        await fn(req, res);
      } catch (err) {
        if (err instanceof ClientError) send(res, 409, err.code, err.message);
        else send(res, 503, 'UNAVAILABLE', 'The moderation store is unreachable; try again.');
      }
    };

  api.get(
    '/reports',
    wrap(async (req, res) => {
      const query = statusQuery.safeParse(req.query);
      if (!query.success) return send(res, 400, 'INVALID_PAYLOAD', 'status must be open or closed.');
      res.json({ groups: await options.service.queue(query.data.status) } satisfies ReportQueueResponse);
    }),
  );
  api.get(
    '/reports/:id',
    wrap(async (req, res) => {
      const found = ID.safeParse(req.params.id).success ? await options.service.report(req.params.id as string) : null;
      if (!found) return send(res, 404, 'NOT_FOUND', 'There is no report with that id.');
      res.json(found satisfies ReportResponse);
    }),
  );
  api.get(
    '/reports/:id/frame',
    wrap(async (req, res) => {
      const frame = ID.safeParse(req.params.id).success ? await options.service.reportFrame(req.params.id as string, actor(req.ip)) : null;
      if (!frame) return send(res, 404, 'NOT_FOUND', 'That report has no frame.');
      // The reporter's bytes, served as nothing but a JPEG: never sniffed, never a page, never cached.
      res
        .set({
          'Content-Type': 'image/jpeg',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Content-Disposition': 'inline; filename="reported-frame.jpg"',
          'Cross-Origin-Resource-Policy': 'same-origin',
        })
        .send(frame);
    }),
  );
  api.post(
    '/reports/:id/resolve',
    wrap(async (req, res) => {
      const body = resolveBody.safeParse(req.body);
      if (!body.success) return send(res, 400, 'INVALID_PAYLOAD', body.error.issues.map((i) => i.message).join('; '));
      const found = ID.safeParse(req.params.id).success ? await options.service.report(req.params.id as string) : null;
      if (!found) return send(res, 404, 'NOT_FOUND', 'There is no report with that id.');
      const resolution: Resolution = body.data;
      res.json((await options.service.resolve(found.report.id, resolution, actor(req.ip))) satisfies ResolveResponse);
    }),
  );
  api.get(
    '/bans',
    wrap(async (_req, res) => {
      res.json({ bans: await options.service.bans() } satisfies BansResponse);
    }),
  );
  api.delete(
    '/bans/:id',
    wrap(async (req, res) => {
      const lifted = ID.safeParse(req.params.id).success && (await options.service.liftBan(req.params.id as string, actor(req.ip)));
      if (lifted) res.status(204).end();
      else send(res, 404, 'NOT_FOUND', 'There is no ban in force with that id.');
    }),
  );
  api.get(
    '/audit',
    wrap(async (req, res) => {
      const query = auditQuery.safeParse(req.query);
      if (!query.success) return send(res, 400, 'INVALID_PAYLOAD', 'limit must be 1–1000.');
      res.json({ entries: await options.service.auditLog(query.data.limit) } satisfies AuditResponse);
    }),
  );
  api.get(
    '/rooms/:code/messages',
    wrap(async (req, res) => {
      const query = pageQuery.safeParse(req.query);
      if (!query.success) return send(res, 400, 'INVALID_PAYLOAD', 'before must be a seq, limit 1–100.');
      const page = roomCode.safeParse(req.params.code).success
        ? await options.service.roomHistory(req.params.code as string, query.data.before, query.data.limit, actor(req.ip))
        : null;
      if (!page) return send(res, 404, 'NOT_FOUND', 'There is no room with that code.');
      res.set('Cache-Control', 'no-store').json(page satisfies RoomHistoryPage);
    }),
  );
  api.delete(
    '/rooms/:code/messages/:seq',
    wrap(async (req, res) => {
      const params = roomMessage.safeParse(req.params);
      const deleted = params.success && (await options.service.deleteRoomMessage(params.data.code, params.data.seq, actor(req.ip)));
      if (deleted) res.status(204).end();
      else send(res, 404, 'NOT_FOUND', 'There is no such message in the recent window of that room.');
    }),
  );
  api.get(
    '/rooms',
    wrap(async (_req, res) => {
      res.json({ rooms: await options.service.rooms() } satisfies RoomsResponse);
    }),
  );
  api.delete(
    '/rooms/:code',
    wrap(async (req, res) => {
      const code = roomCode.safeParse(req.params.code);
      const removed = code.success && (await options.service.removeRoom(code.data, actor(req.ip)));
      if (removed) res.status(204).end();
      else send(res, 404, 'NOT_FOUND', 'There is no room with that code.');
    }),
  );
  api.use((_req, res) => send(res, 404, 'NOT_FOUND', 'No such operator route.'));
  // A body that is not JSON (or too big) is the caller's mistake.
  api.use((_err: unknown, _req: express.Request, res: Response, _next: express.NextFunction) =>
    send(res, 400, 'INVALID_PAYLOAD', 'The body must be a JSON object of at most 16 kB.'),
  );
  router.use('/api/admin', api);

  // The console page holds no data: it asks for the token and calls the API.
  const page = path.join(options.publicDir, 'admin.html');
  router.get('/admin', (_req, res) => {
    if (!existsSync(page)) return send(res, 404, 'NOT_FOUND', 'The operator console is not built.');
    res.set('Cache-Control', 'no-store').sendFile(page);
  });
  return router;
}
