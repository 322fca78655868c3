/**
 * The bare relay parley's message path is compared with: Socket.IO with the
 * same Redis adapter set up as a parley node sets it up (its publishing
 * client coalesces a tick's writes into one, as parley's does), each socket
 * in its user's room, and `send-message` forwarded to the partner's room
 * with an ack of the same shape — no schema, no store, no log, no rate
 * limit. The client names itself and its partner in
 * `auth: { userId, partnerId }`.
 *
 * Env: PORT, REDIS_URL. Serves GET /health.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { coalesceWrites } from '../src/store/redis/coalesced-writes';

interface Auth {
  userId?: string;
  partnerId?: string;
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const pub = new Redis(redisUrl);
  const sub = pub.duplicate();
  coalesceWrites(pub);
  const httpServer = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  const io = new Server(httpServer, { adapter: createAdapter(pub, sub, { key: 'baseline:socket.io' }) });
  let counter = 0;
  io.on('connection', (socket) => {
    const { userId = socket.id, partnerId = '' } = (socket.handshake.auth ?? {}) as Auth;
    void socket.join(`user:${userId}`);
    socket.emit('session', { userId, token: '' });
    socket.on('send-message', (payload: { text: string }, ack?: (r: unknown) => void) => {
      const message = { id: `${process.pid}-${++counter}`, sentAt: Date.now() };
      io.to(`user:${partnerId}`).emit('message', { ...message, roomId: 'baseline', text: payload.text });
      if (typeof ack === 'function') ack({ ok: true, message });
    });
  });
  const port = Number(process.env.PORT ?? 0);
  await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
  const stop = (): void => {
    io.close();
    pub.disconnect();
    sub.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`baseline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
