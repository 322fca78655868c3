/**
 * Handing an event straight to a user's connection when it is on this node:
 * the store names each chatting user's live connection (node and socket id,
 * as last attached), so a relay to a partner connected here needs no publish
 * through the adapter, which every node would receive and decode. Anywhere
 * else, or when the store does not know, the user's channel reaches it.
 */
import type { SocketRef } from '../store/chat-store';
import { userChannel } from './channels';
import type { ParleyIo, ParleySocket } from './types';

/** The connection `ref` names, when it is on this node and still open. */
function socketHere(io: ParleyIo, nodeId: string, ref: SocketRef | undefined): ParleySocket | undefined {
  return ref !== undefined && ref.node === nodeId ? io.of('/').sockets.get(ref.sid) : undefined;
}

/** The connection `ref` names when it is here, else every connection of the user, through its channel. */
export function toUser(io: ParleyIo, nodeId: string, userId: string, ref: SocketRef | undefined): Pick<ParleySocket, 'emit'> | ReturnType<ParleyIo['to']> {
  return socketHere(io, nodeId, ref) ?? io.to(userChannel(userId));
}
