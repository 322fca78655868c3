/**
 * Removes banned users from this node: each of their connections here is
 * told BANNED, its chat ends (the partner sees `left`), it leaves its search
 * and rooms, and it is disconnected. Every node runs this for its own
 * sockets when its copy of the bans changes (src/moderation/enforcement.ts).
 */
import type { Logger } from 'pino';
import { ERROR_MESSAGES } from '../errors';
import type { Matchmaker } from '../matchmaking/matchmaker';
import type { Enforcer } from '../moderation/ports';
import type { RoomService } from '../rooms/room-service';
import { userChannel } from './channels';
import type { ParleyIo, ParleySocket } from './types';

export interface EnforcerDeps {
  io: ParleyIo;
  matchmaker: Matchmaker;
  rooms: RoomService;
  logger: Logger;
}

export function createEnforcer(deps: EnforcerDeps): Enforcer {
  const { io, logger } = deps;
  const remove = async (sockets: ParleySocket[]): Promise<void> => {
    const users = new Set(sockets.map((s) => s.data.userId));
    for (const socket of sockets) socket.emit('error', { code: 'BANNED', message: ERROR_MESSAGES.BANNED });
    for (const userId of users) {
      await deps.matchmaker.leaveChat(userId, 'left').catch(() => undefined);
      await deps.matchmaker.cancel(userId).catch(() => undefined);
      await deps.rooms.leaveAll(userId).catch((err: unknown) => logger.warn({ err, userId }, 'could not take a banned user out of its rooms'));
    }
    for (const socket of sockets) socket.disconnect(true);
    if (users.size > 0) logger.info({ users: users.size }, 'banned users removed from this node');
  };
  const local = (): ParleySocket[] => [...io.of('/').sockets.values()];
  return {
    removeUser: async (userId) => {
      const channel = io.of('/').adapter.rooms.get(userChannel(userId));
      await remove(local().filter((s) => channel?.has(s.id)));
    },
    removeAddress: async (ipHash) => {
      await remove(local().filter((s) => s.data.ipHash === ipHash));
    },
  };
}
