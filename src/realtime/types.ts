/** The typed Socket.IO server and socket of a parley node, and what it keeps on each socket. */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, OnlineCountEvent, ServerToClientEvents } from '../protocol';
import type { StreamMark } from '../chat/resume';
import type { ResumedChat } from './resume-after-connect';

/** Events between nodes (serverSideEmit); none are used yet. */
export type InterServerEvents = Record<string, never>;

/** What a node keeps on each socket. */
import type { ChatDelivered } from './chat-deliveries';

export interface SocketData {
  userId: string;
  /** The session token, from the handshake until it is sent with `session`. */
  token?: string;
  /** The chat this connection picked up at the handshake, if any, and where the client said it stood in it. */
  resumed?: { chat: ResumedChat; mark: StreamMark };
  /** Keyed hash of the client address (IPv6 by /64) the connection is counted under; the raw address is not kept. */
  ipHash: string;
  /** Set once this connection saw the identity's acceptance of the current rules. */
  rulesAccepted?: boolean;
  /** The topic rooms the identity is in, found at the handshake: each gets a `room-unread` after `session`. */
  rooms?: string[];
  /** The figures read at the handshake, after this connection was counted: sent with `session`. */
  counts?: OnlineCountEvent;
  /** The last chat message this node sent the connection (./chat-deliveries). */
  delivered?: ChatDelivered;
  /** The camera and microphone this connection last told in its video chat (for the call's notes). */
  callState?: { roomId: string; camera: boolean; microphone: boolean };
}

export type ParleyIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
