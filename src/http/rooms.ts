/**
 * Topic rooms over HTTP: the public list, one room, and its history.
 *   GET /api/rooms                                   → { rooms: RoomInfo[] } (most members first)
 *   GET /api/rooms/:code                             → { room: RoomInfo } | 404
 *   GET /api/rooms/:code/messages?before=&limit=     → { messages (oldest first), hasMore } | 403 | 404
 * A private room's history needs `Authorization: Bearer <identity token>` of a
 * current member (403 NOT_IN_ROOM otherwise); a public room's is open to all.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { ClientError, ERROR_MESSAGES } from '../errors';
import type { RoomService } from '../rooms/room-service';

/** A room code as a route parameter. */
export const CODE = /^[A-Za-z0-9_-]{1,32}$/;
/** `?before=&limit=` of a history page. */
export const pageQuery = z.object({
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

function notFound(res: Response): void {
  res.status(404).json({ error: { code: 'ROOM_NOT_FOUND', message: ERROR_MESSAGES.ROOM_NOT_FOUND } });
}

/** Store failures answer 503, like the socket events' UNAVAILABLE. */
function unavailable(res: Response): void {
  res.status(503).json({ error: { code: 'UNAVAILABLE', message: ERROR_MESSAGES.UNAVAILABLE } });
}

/** The identity token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * @param service the room rules (built after the app: they need Socket.IO)
 * @param identify the user id of a valid identity token, else null
 */
export function roomsRouter(service: () => RoomService, identify: (token: string | undefined) => string | null): Router {
  const router = Router();
  const rooms = {
    list: () => service().list(),
    info: (code: string) => service().info(code),
    history: (code: string, before: number | undefined, limit: number, userId: string | null) =>
      service().history(code, before, limit, { userId }),
  };
  router.get('/api/rooms', async (_req, res) => {
    try {
      res.json({ rooms: await rooms.list() });
    } catch {
      unavailable(res);
    }
  });
  router.get('/api/rooms/:code', async (req, res) => {
    try {
      const room = CODE.test(req.params.code) ? await rooms.info(req.params.code) : null;
      if (room) res.json({ room });
      else notFound(res);
    } catch {
      unavailable(res);
    }
  });
  router.get('/api/rooms/:code/messages', async (req, res) => {
    const query = pageQuery.safeParse(req.query);
    if (!query.success) {
      res.status(400).json({ error: { code: 'INVALID_PAYLOAD', message: ERROR_MESSAGES.INVALID_PAYLOAD } });
      return;
    }
    try {
      const reader = identify(bearerToken(req.get('authorization')));
      const page = CODE.test(req.params.code) ? await rooms.history(req.params.code, query.data.before, query.data.limit, reader) : null;
      // A private room's page belongs to one reader: no shared cache keeps it.
      if (page) res.set('Cache-Control', 'no-store').json(page);
      else notFound(res);
    } catch (err) {
      if (err instanceof ClientError) res.status(403).json({ error: { code: err.code, message: err.message } });
      else unavailable(res);
    }
  });
  return router;
}
