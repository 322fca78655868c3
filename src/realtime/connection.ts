/**
 * The life of one connection: identity at the handshake (taking over any
 * older connection of the same user, and resuming its chat), handlers
 * registered synchronously at connect, and cleanup at disconnect that never
 * disturbs a newer connection.
 */
import { ClientError, ERROR_MESSAGES } from '../errors';
import type { PowVerdict } from '../moderation/proof-of-work';
import { admit } from './admission';
import type { Services } from './context';
import { HANDLERS } from './handlers';
import type { IdentityIssuer } from './identity';
import type { OnlineCounter } from './online-count';
import type { HandshakeAuth } from './protocol';
import { dispatch, InvalidEventCounter, toErrorBody } from './dispatch';
import { resumedEvent } from './resume';
import { roomChannel, userRoom } from './rooms';
import { RoomTypingRelay } from './room-typing-relay';
import { TypingRelay } from './typing-relay';
import type { ParleySocket } from './types';

const POW_REFUSALS: Record<Exclude<PowVerdict, 'ok'>, string> = {
  missing: ERROR_MESSAGES.POW_REQUIRED,
  invalid: 'The browser check was not solved or has expired; solve a new one.',
  reused: 'That browser check was already used; solve a new one.',
};

/**
 * With POW_DIFFICULTY > 0, a new identity (no valid token) presents a solved
 * challenge in `auth.pow`, else the handshake fails with POW_REQUIRED.
 */
async function checkProofOfWork(services: Services, auth: HandshakeAuth, newIdentity: boolean): Promise<void> {
  if (!services.pow.enabled || !newIdentity) return;
  const verdict = await services.pow.verify(auth.pow, services.clock.now());
  if (verdict !== 'ok') throw new ClientError('POW_REQUIRED', POW_REFUSALS[verdict]);
}

export function attachConnections(services: Services, identity: IdentityIssuer, online: OnlineCounter): void {
  const { io, matchmaker, logger, config } = services;

  /** Undoes what a connection recorded: its IP's count, and its place as the user's live connection. */
  const release = (socket: ParleySocket): void => {
    const { userId, ip } = socket.data;
    services.store.releaseIp(ip, config.nodeId).catch(() => undefined);
    matchmaker.disconnect(userId, socket.id).catch((err: unknown) => {
      logger.warn({ err, userId }, 'cleanup after disconnect failed');
    });
    services.rooms.disconnected(userId, socket.id).catch((err: unknown) => {
      logger.warn({ err, userId }, 'room cleanup after disconnect failed');
    });
  };

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const newIdentity = identity.verify(auth.token) === null;
    const { userId, token } = identity.resolve(auth.token);
    socket.data.userId = userId;
    socket.data.token = token;
    let admitted = false;
    admit(socket, services)
      .then(async (ip) => {
        socket.data.ip = ip;
        admitted = true;
        await checkProofOfWork(services, auth, newIdentity);
        // Joined before the chat log is read on attach: every message is then
        // either in `resumed.missed` or delivered live (clients de-duplicate by id).
        await socket.join(userRoom(userId));
        // Back in its topic rooms (present again if it was away) before any
        // older connection of the user closes.
        const codes = await services.rooms.connected(userId, socket.id);
        await services.roomChannels.enter(socket, codes);
        return matchmaker.connect(userId, socket.id, config.nodeId);
      })
      .then((result) => {
        if (result.kind === 'resumed') socket.data.resumed = resumedEvent(result, auth.lastSeenId, userId);
        // Older connections of this user, on any node, give way. (The adapter
        // may apply this after the join below, hence the explicit except.)
        const replaced = { code: 'SESSION_REPLACED' as const, message: ERROR_MESSAGES.SESSION_REPLACED };
        io.to(userRoom(userId)).except(socket.id).emit('error', replaced);
        io.in(userRoom(userId)).except(socket.id).disconnectSockets(true);
        // A client that left during the handshake never gets a 'disconnect'
        // event: socket.io drops it right after next(), on this same check.
        if (socket.conn.readyState !== 'open') release(socket);
        next();
      })
      .catch((err: unknown) => {
        void socket.leave(userRoom(userId));
        if (admitted) services.store.releaseIp(socket.data.ip, config.nodeId).catch(() => undefined);
        const body = toErrorBody(err);
        if (body.code === 'INTERNAL') logger.error({ err }, 'handshake failed');
        const error = new Error(body.message) as Error & { data?: unknown };
        error.data = body;
        next(error);
      });
  });

  io.on('connection', (socket: ParleySocket) => {
    const { userId, token, resumed } = socket.data;
    const typing = new TypingRelay(io, config.typingTimeoutMs);
    const roomTyping = new RoomTypingRelay((code, on) => services.rooms.typing(userId, code, on), config.typingTimeoutMs);
    const invalid = new InvalidEventCounter();
    const ctx = { userId, socket, services, typing, roomTyping };
    // Registered synchronously, so no early event is lost.
    socket.onAny((event: string, ...args: unknown[]) => void dispatch(HANDLERS, ctx, invalid, event, args));

    socket.emit('session', { userId, token });
    if (resumed) {
      socket.emit('resumed', resumed);
      delete socket.data.resumed;
    }
    socket.emit('online-count', online.current());

    socket.on('disconnect', () => {
      typing.stop();
      roomTyping.stopAll();
      release(socket);
    });
  });
}
