/**
 * The `resumed` event of a connection that picked up a chat, built from the
 * chat's log read once the socket is connected.
 *
 * Before `connect`, a socket sits in its user's channel but is not yet among
 * the namespace's sockets, so an emit to the channel in that moment (the
 * handshake) reaches no one. The log read at the handshake's attach is
 * therefore read again here, after the connect: a message relayed before this
 * read is in `missed`, one relayed after it is delivered live, and one in both
 * has the same seq (clients drop what they hold). A chat that ended during the
 * handshake is told with `partner-disconnected` after `resumed`, as it would
 * have been live.
 */
import type { Logger } from 'pino';
import { resumedEvent, type StreamMark } from '../chat/resume';
import type { ConnectResult } from '../store/match-store';
import type { OneToOneStore } from '../store/one-to-one-store';
import type { IceServersOf } from './match-notifier';
import type { ParleySocket } from './types';

export type ResumedChat = Extract<ConnectResult, { kind: 'resumed' }>;

export async function resumeAfterConnect(
  socket: ParleySocket,
  chat: ResumedChat,
  mark: StreamMark,
  store: Pick<OneToOneStore, 'chatLog' | 'getUser'>,
  logger: Logger,
  /** The ICE servers of this user, for a video chat's fresh `call`. */
  iceServersOf: IceServersOf,
): Promise<void> {
  const { userId } = socket.data;
  const [log, user] = await Promise.all([
    store.chatLog(chat.roomId).catch((err: unknown) => {
      logger.warn({ err, userId }, 'chat log read after connect failed; resuming from the handshake read');
      return chat.log;
    }),
    store.getUser(userId).catch(() => null),
  ]);
  // A log without a record (closed and gone) keeps the handshake's epoch.
  const current = log.epoch || log.messages.length > 0 ? log : chat.log;
  // A video chat's call restarts: fresh credentials, the same initiator (who sends `restart` and a new offer).
  const call = chat.mode === 'video' ? { iceServers: iceServersOf(userId), initiator: chat.initiator } : undefined;
  socket.emit('resumed', resumedEvent(chat, current, mark, userId, call));
  if (user && !(user.state === 'chatting' && user.roomId === chat.roomId)) {
    socket.emit('partner-disconnected', { roomId: chat.roomId, reason: 'left' });
  }
}
