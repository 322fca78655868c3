/**
 * Topic rooms over HTTP: the public list, one room, and its history.
 *   GET /api/rooms                                   → { rooms: RoomInfo[] } (most members first)
 *   GET /api/rooms/:code                             → { room: RoomInfo } | 404
 *   GET /api/rooms/:code/messages?before=&limit=     → { messages (oldest first), hasMore } | 404
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { ERROR_MESSAGES } from '../errors';
import type { RoomService } from '../rooms/room-service';

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
const pageQuery = z.object({
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

export function roomsRouter(service: () => RoomService): Router {
  const router = Router();
  const rooms = {
    list: () => service().list(),
    info: (code: string) => service().info(code),
    history: (code: string, before: number | undefined, limit: number) => service().history(code, before, limit),
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
      const page = CODE.test(req.params.code) ? await rooms.history(req.params.code, query.data.before, query.data.limit) : null;
      if (page) res.json(page);
      else notFound(res);
    } catch {
      unavailable(res);
    }
  });
  return router;
}
