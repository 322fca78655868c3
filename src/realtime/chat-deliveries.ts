/**
 * Where each connection stands in its chat's stream, as far as this node
 * handed it messages: the last `seq` of a `message` it was sent (live, by
 * either path) or the `lastSeq` of its `resumed`. A failover's catch-up
 * (./chat-catch-up) sends only what came after, instead of everything the
 * failover's window held. Acks are not outgoing events: what a client fetched
 * with `sync` is not counted, so the catch-up may still repeat a message the
 * client holds (it drops it by seq), never skip one.
 */
import type { MessageEvent, ResumedEvent } from '../protocol';
import type { ParleySocket } from './types';

export interface ChatDelivered {
  chatId: string;
  seq: number;
}

/**
 * Follows what the connection is sent, from its first search (`find-match`,
 * `next-match`) or resumed chat on: a connection can be in a chat only after
 * one of those, so one that never was holds nothing for this (Socket.IO makes
 * its list of outgoing listeners on the first). One shared listener, nothing
 * held per socket but the mark; following twice changes nothing.
 */
export function followChatDeliveries(socket: ParleySocket): void {
  if (!socket.listenersAnyOutgoing().includes(noteDelivered)) socket.onAnyOutgoing(noteDelivered);
}

function noteDelivered(this: ParleySocket, event: string, payload: unknown): void {
  if (event === 'message') {
    const { roomId, seq } = payload as MessageEvent;
    mark(this, roomId, seq);
  } else if (event === 'resumed') {
    const { roomId, lastSeq } = payload as ResumedEvent;
    mark(this, roomId, lastSeq);
  }
}

function mark(socket: ParleySocket, chatId: string, seq: number): void {
  const held = socket.data.delivered;
  if (held?.chatId === chatId) held.seq = Math.max(held.seq, seq);
  else socket.data.delivered = { chatId, seq };
}
