/**
 * Puts a connection into the channels (Socket.IO rooms) of its topic rooms, and — with
 * Redis — makes this node follow each room's feed while it has a member of
 * it, delivering the room's messages and deletions to its members in seq
 * order (src/rooms/room-delivery.ts), with its pins and reactions
 * (./room-marks.ts). Without a feed (the single node) the room notifier
 * delivers them directly, in the order they are stored.
 */
import type { Logger } from 'pino';
import { RoomDelivery } from '../rooms/room-delivery';
import { editedView, messageView } from '../rooms/views';
import type { RoomFeed } from '../store/room-feed';
import type { RoomsStore } from '../store/rooms-store';
import { roomChannel, userChannel } from './channels';
import type { RoomMarks } from './room-marks';
import type { ParleyIo, ParleySocket } from './types';

export interface RoomChannels {
  /** Joins the socket to the rooms' channels; resolves once no later message of them can be missed. */
  enter(socket: ParleySocket, codes: readonly string[]): Promise<void>;
}

const PREFIX = roomChannel('');

export function createRoomChannels(io: ParleyIo, store: RoomsStore, feed: RoomFeed | undefined, marks: RoomMarks, logger: Logger): RoomChannels {
  const adapter = io.of('/').adapter;
  // Pins are watched (their ends timed) exactly while a socket is in the room's channel; with a feed,
  // once it is subscribed (no change of them is missed after their first read).
  adapter.on('create-room', (room: string) => {
    if (!feed && room.startsWith(PREFIX)) marks.follow(room.slice(PREFIX.length));
  });
  adapter.on('delete-room', (room: string) => {
    if (room.startsWith(PREFIX)) marks.unfollow(room.slice(PREFIX.length));
  });
  if (!feed) {
    return { enter: async (socket, codes) => socket.join(codes.map(roomChannel)) };
  }
  const delivery = new RoomDelivery({
    messagesAfter: (code, after, limit) => store.messagesAfter(code, after, limit),
    lastSeq: (code) => store.lastSeq(code),
    deliver: (code, event) => {
      const members = io.local.to(roomChannel(code));
      if (event.kind === 'deleted') members.emit('room-message-deleted', { code, seq: event.seq });
      else if (event.kind === 'pins') marks.pins(code, event.pins);
      else if (event.kind === 'reactions') marks.reactions(code, event.seq, event.reactions);
      else if (event.kind === 'edited') members.emit('room-message-edited', editedView(code, event.seq, event));
      else members.except(userChannel(event.message.from)).emit('room-message', { code, epoch: event.message.epoch ?? '', ...messageView(event.message) });
    },
    onError: (err) => logger.warn({ err }, 'room delivery could not fill a gap'),
  });
  feed.onEvent((code, event) => delivery.receive(code, event));
  feed.onResubscribed((code) => {
    delivery.catchUp(code);
    marks.catchUp(code);
  });
  // This node follows a room exactly while one of its sockets is in the room's channel.
  const follow = async (code: string) => {
    await feed.follow(code);
    // Its last member here may have left while the subscription was on its way.
    if (!adapter.rooms.has(roomChannel(code))) return;
    marks.follow(code);
    await delivery.follow(code);
  };
  adapter.on('create-room', (room: string) => {
    if (room.startsWith(PREFIX)) follow(room.slice(PREFIX.length)).catch(() => undefined);
  });
  adapter.on('delete-room', (room: string) => {
    if (!room.startsWith(PREFIX)) return;
    const code = room.slice(PREFIX.length);
    delivery.unfollow(code);
    feed.unfollow(code);
  });
  return {
    enter: async (socket, codes) => {
      await socket.join(codes.map(roomChannel));
      await Promise.all(codes.map(follow));
    },
  };
}
