/**
 * Topic rooms over HTTP: the public list, one room, and its history.
 *   GET /api/rooms?offset=&limit=                    → { rooms: RoomInfo[], total, offset, limit, nextOffset }
 *     (most members first, then most recently active; limit 1–100, default 100; a copy
 *     at most ROOMS_LIST_CACHE_MS old, and Cache-Control saying so)
 *   GET /api/rooms/:code                             → { room: RoomInfo } | 404 (a backstage: 404 but to its members)
 *   GET /api/rooms/:code/messages?before=&limit=     → { messages (oldest first), hasMore } | 403 | 404
 * A private room's history needs `Authorization: Bearer <identity token>` of a
 * current member (403 NOT_IN_ROOM otherwise; 404 ROOM_NOT_FOUND for a
 * backstage, which is not there to outsiders); a public room's is open to all.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { ClientError, ERROR_MESSAGES } from '../errors';
import type { RoomService } from '../rooms/room-service';
import type { HttpError, RoomResponse } from '../protocol';
import { bearerToken } from './bearer';

/** A room code as a route parameter. */
export const CODE = /^[A-Za-z0-9_-]{1,32}$/;
/** Most rooms one page of GET /api/rooms holds (and the default). */
export const ROOM_LIST_MAX = 100;
/** `?offset=&limit=` of the public list. */
export const listQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(ROOM_LIST_MAX).default(ROOM_LIST_MAX),
});
/** `?before=&limit=` of a history page. */
export const pageQuery = z.object({
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

function notFound(res: Response): void {
  res.status(404).json({ error: { code: 'ROOM_NOT_FOUND', message: ERROR_MESSAGES.ROOM_NOT_FOUND } } satisfies HttpError);
}

/** Store failures answer 503, like the socket events' UNAVAILABLE. */
function unavailable(res: Response): void {
  res.status(503).json({ error: { code: 'UNAVAILABLE', message: ERROR_MESSAGES.UNAVAILABLE } } satisfies HttpError);
}

function invalid(res: Response): void {
  res.status(400).json({ error: { code: 'INVALID_PAYLOAD', message: ERROR_MESSAGES.INVALID_PAYLOAD } } satisfies HttpError);
}

/**
 * @param service the room rules
 * @param identify the user id of a valid identity token, else null
 * @param cacheMs ROOMS_LIST_CACHE_MS, also the list's Cache-Control max-age
 */
export function roomsRouter(service: RoomService, identify: (token: string | undefined) => string | null, cacheMs: number): Router {
  const router = Router();
  const rooms = {
    list: (offset: number, limit: number) => service.listPage(offset, limit),
    info: (code: string, userId: string | null) => service.info(code, { userId }),
    history: (code: string, before: number | undefined, limit: number, userId: string | null) =>
      service.history(code, before, limit, { userId }),
  };
  router.get('/api/rooms', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) return invalid(res);
    try {
      const page = await rooms.list(query.data.offset, query.data.limit);
      res.set('Cache-Control', cacheMs > 0 ? `public, max-age=${Math.floor(cacheMs / 1000)}` : 'no-cache');
      res.json(page);
    } catch {
      unavailable(res);
    }
  });
  router.get('/api/rooms/:code', async (req, res) => {
    try {
      // A backstage is there only for its members (identified by their token).
      const reader = identify(bearerToken(req.get('authorization')));
      const room = CODE.test(req.params.code) ? await rooms.info(req.params.code, reader) : null;
      if (room) res.json({ room } satisfies RoomResponse);
      else notFound(res);
    } catch {
      unavailable(res);
    }
  });
  router.get('/api/rooms/:code/messages', async (req, res) => {
    const query = pageQuery.safeParse(req.query);
    if (!query.success) return invalid(res);
    try {
      const reader = identify(bearerToken(req.get('authorization')));
      const page = CODE.test(req.params.code) ? await rooms.history(req.params.code, query.data.before, query.data.limit, reader) : null;
      // A private room's page belongs to one reader: no shared cache keeps it.
      if (page) res.set('Cache-Control', 'no-store').json(page);
      else notFound(res);
    } catch (err) {
      if (err instanceof ClientError) res.status(403).json({ error: { code: err.code, message: err.message } } satisfies HttpError);
      else unavailable(res);
    }
  });
  return router;
}
