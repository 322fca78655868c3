/**
 * The life of one connection: identity at the handshake (taking over any
 * older connection of the same user, and resuming its chat), handlers
 * registered synchronously at connect, and cleanup at disconnect that never
 * disturbs a newer connection.
 */
import { BannedError, ClientError, ERROR_MESSAGES } from '../errors';
import type { PowVerdict } from '../moderation/proof-of-work';
import { admit, admitNewIdentity, clientIp } from './admission';
import type { Services } from './context';
import { HANDLERS } from './handlers';
import type { IdentityIssuer, ResolvedIdentity } from './identity';
import { withConnection, type OnlineCounter } from './online-count';
import type { ConnectErrorData, HandshakeAuth } from '../protocol';
import { dispatch, toErrorBody } from './dispatch';
import { ConnectionState } from './connection-state';
import { releaseHandshake } from './handshake-release';
import { iceServers } from '../call/ice-servers';
import { resumeAfterConnect } from './resume-after-connect';
import { followChatDeliveries } from './chat-deliveries';
import { GREETING_CHANNEL, userChannel } from './channels';
import type { ParleySocket } from './types';

const POW_REFUSALS: Record<Exclude<PowVerdict, 'ok'>, string> = {
  missing: ERROR_MESSAGES.POW_REQUIRED,
  invalid: 'The browser check was not solved or has expired; solve a new one.',
  reused: 'That browser check was already used; solve a new one.',
};

/**
 * With POW_DIFFICULTY > 0, a new identity (no valid token, or a deleted one's)
 * presents a solved challenge in `auth.pow`, else the handshake fails with POW_REQUIRED.
 */
async function checkProofOfWork(services: Services, auth: HandshakeAuth, newIdentity: boolean): Promise<void> {
  if (!services.pow.enabled || !newIdentity) return;
  const verdict = await services.pow.verify(auth.pow, services.clock.now());
  if (verdict !== 'ok') throw new ClientError('POW_REQUIRED', POW_REFUSALS[verdict]);
}

/** A refused handshake: the client's `connect_error` carries `data`. */
const refusal = (data: ConnectErrorData): Error => Object.assign(new Error(data.message), { data });

export function attachConnections(services: Services, identity: IdentityIssuer, online: OnlineCounter): void {
  const { io, matchmaker, logger, config } = services;

  /** Undoes what a connection recorded: its IP's count, and its place as the user's live connection. */
  const release = (socket: ParleySocket): void => {
    const { userId, ipHash } = socket.data;
    services.store.releaseIp(ipHash, config.nodeId).catch(() => undefined);
    matchmaker.disconnect(userId, socket.id).catch((err: unknown) => {
      logger.warn({ err, userId }, 'cleanup after disconnect failed');
    });
    services.rooms.presence.disconnected(userId, socket.id).catch((err: unknown) => {
      logger.warn({ err, userId }, 'room cleanup after disconnect failed');
    });
    // After the arrival was recorded, so a quick close still starts the grace.
    (present.get(socket.id) ?? Promise.resolve())
      .then(() => services.contacts.disconnected(userId, socket.id))
      .catch((err: unknown) => logger.warn({ err, userId }, 'presence cleanup after disconnect failed'))
      .finally(() => present.delete(socket.id));
  };

  /**
   * Each connection's arrival in presence, recorded in the background (PostgreSQL may be slow or away),
   * held until it is recorded: a connection that has long arrived holds nothing here.
   */
  const present = new Map<string, Promise<void>>();
  const arrive = (socket: ParleySocket): void => {
    const { userId } = socket.data;
    const arrival: Promise<void> = services.contacts
      .connected(userId, socket.id)
      .catch((err: unknown) => logger.warn({ err, userId }, 'presence update after connect failed'))
      .then(() => {
        if (present.get(socket.id) === arrival) present.delete(socket.id);
      });
    present.set(socket.id, arrival);
  };

  /**
   * The identity of a handshake: the token's, unless that identity was
   * deleted (then a fresh one, so an old token resurrects nothing).
   */
  const identify = async (given: unknown): Promise<ResolvedIdentity> => {
    const resolved = identity.resolve(given);
    if (!resolved.known) return resolved;
    // PostgreSQL away must not keep everyone out: the deleted identity's data is gone either way.
    const deleted = await services.contacts.isDeleted(resolved.userId).catch((err: unknown) => {
      logger.warn({ err }, 'could not check for a deleted identity; accepting the token');
      return false;
    });
    return deleted ? { ...identity.issue(), known: false } : resolved;
  };

  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    identify(auth.token).then(
      ({ userId, token, known }) => handshake(socket, auth, userId, token, !known, next),
      (err: unknown) => {
        const body = toErrorBody(err);
        if (body.code === 'INTERNAL') logger.error({ err }, 'handshake failed');
        next(refusal(body));
      },
    );
  });

  /** `newIdentity`: no token named the identity (none given, invalid, or a deleted identity's); a token signed anew is no new identity. */
  const handshake = (socket: ParleySocket, auth: HandshakeAuth, userId: string, token: string, newIdentity: boolean, next: (err?: Error) => void): void => {
    socket.data.userId = userId;
    // A banned identity or address is refused before anything else happens.
    const ban = services.enforcement.banOf(userId, services.hashIp(clientIp(socket, config.trustProxy)));
    if (ban) {
      next(refusal({ code: 'BANNED', message: ERROR_MESSAGES.BANNED, until: ban.until }));
      return;
    }
    let admitted = false;
    admit(socket, services)
      .then(async (ipHash) => {
        socket.data.ipHash = ipHash;
        admitted = true;
        await checkProofOfWork(services, auth, newIdentity);
        // After the proof of work: each new identity of the address's budget costs one.
        if (newIdentity) await admitNewIdentity(ipHash, services);
        // The identity's standing (first seen, latest address), in the background.
        void services.reports.connected(userId, ipHash);
        // Joined before the chat log is read on attach: every message is then
        // either in `resumed.missed` or delivered live (clients de-duplicate by id).
        await socket.join(userChannel(userId));
        // Back in its topic rooms (present again if it was away) before any
        // older connection of the user closes.
        const codes = await services.rooms.presence.connected(userId, socket.id);
        await services.roomChannels.enter(socket, codes);
        socket.data.rooms = codes;
        // The greeting's figures are read before the attach and this connection added to them:
        // anything awaited between the attach (which reads the chat log) and next() would widen
        // the moment in which a message relayed to this user reaches a socket not yet connected.
        const [figures, before] = await Promise.all([
          online.fresh().catch(() => online.current()),
          services.store.getUser(userId).catch(() => null),
        ]);
        const result = await matchmaker.connect(userId, socket.id, config.nodeId);
        socket.data.counts = before ? withConnection(figures, before) : figures;
        socket.data.token = token;
        return result;
      })
      .then((result) => {
        if (result.kind === 'resumed') {
          socket.data.resumed = { chat: result, mark: { lastSeq: auth.lastSeq, epoch: auth.epoch, lastSeenId: auth.lastSeenId } };
        }
        // Older connections of this user, on any node, give way. (The adapter
        // may apply this after the join below, hence the explicit except.)
        const replaced = { code: 'SESSION_REPLACED' as const, message: ERROR_MESSAGES.SESSION_REPLACED };
        io.to(userChannel(userId)).except(socket.id).emit('error', replaced);
        io.in(userChannel(userId)).except(socket.id).disconnectSockets(true);
        // A client that left during the handshake never gets a 'disconnect'
        // event: socket.io drops it right after next(), on this same check.
        if (socket.conn.readyState !== 'open') release(socket);
        next();
      })
      .catch((err: unknown) => {
        void socket.leave(userChannel(userId));
        if (admitted) services.store.releaseIp(socket.data.ipHash, config.nodeId).catch(() => undefined);
        const body = toErrorBody(err);
        if (body.code === 'INTERNAL') logger.error({ err }, 'handshake failed');
        next(refusal(err instanceof BannedError ? { ...body, until: err.until } : body));
      });
  };

  /** Each open connection's state; the two listeners below are shared by every socket. */
  const states = new WeakMap<ParleySocket, ConnectionState>();
  function onEvent(this: ParleySocket, event: string, ...args: unknown[]): void {
    const state = states.get(this);
    if (!state) return;
    if (state.ready) void state.ready.then(() => dispatch(HANDLERS, state, state, event, args));
    else void dispatch(HANDLERS, state, state, event, args);
  }
  function onDisconnect(this: ParleySocket): void {
    states.get(this)?.closed();
    release(this);
  }

  io.on('connection', (socket: ParleySocket) => {
    const { userId, token, resumed, rooms, counts = online.current() } = socket.data;
    const state = new ConnectionState(userId, socket, services);
    states.set(socket, state);
    // Dropped in the reverse order they were set, so socket.data keeps its shape (a delete of any
    // other property would turn it into a slower, larger dictionary).
    delete socket.data.resumed;
    delete socket.data.token;
    delete socket.data.counts;
    delete socket.data.rooms;
    arrive(socket);
    socket.emit('session', { userId, token: token!, counts });
    // A picked-up chat is resumed from a log read now that the socket is
    // connected; the client's events wait for that, in the order they came.
    // `online-count` still closes the greeting, for clients that read the figures only from there.
    if (resumed) {
      followChatDeliveries(socket);
      socket.join(GREETING_CHANNEL);
      state.ready = resumeAfterConnect(socket, resumed.chat, resumed.mark, services.store, logger, (id) =>
        iceServers(config, id, services.clock.now()),
      )
        .catch((err: unknown) => logger.warn({ err, userId }, 'resume after connect failed'))
        .finally(() => {
          // Events queued meanwhile run after this, in the order they came; later ones run at once.
          state.ready = undefined;
          socket.leave(GREETING_CHANNEL);
          socket.emit('online-count', counts);
        });
    } else {
      socket.emit('online-count', counts);
    }
    // Registered synchronously, so no early event is lost.
    socket.onAny(onEvent);
    releaseHandshake(socket);
    // Each room's unread count, so a device learns the identity's rooms and where it stands in them.
    if (rooms?.length) {
      services.rooms.unread.counts(userId, rooms).then(
        (counts) => counts.forEach((count) => socket.emit('room-unread', count)),
        (err: unknown) => logger.debug({ err, userId }, 'unread counts at connect failed'),
      );
    }
    socket.on('disconnect', onDisconnect);
  });
}
