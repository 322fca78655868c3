/**
 * Delivers topic-room events through their channels, on any node (the
 * adapter carries them). With a room feed (Redis), messages, deletions and
 * edits reach the nodes through the feed instead, in seq order
 * (room-channels.ts), as do pins and reactions; the single node hands those
 * to its members directly (room-marks.ts).
 */
import type { RoomNotifier } from '../rooms/ports';
import { roomChannel, userChannel } from './channels';
import type { RoomMarks } from './room-marks';
import type { ParleyIo } from './types';

export function createRoomNotifier(io: ParleyIo, marks: RoomMarks, options: { feed: boolean }): RoomNotifier {
  const viaFeed = () => undefined;
  return {
    presence: (event) => io.to(roomChannel(event.code)).emit('room-presence', event),
    message: options.feed ? viaFeed : (event, senderId) => io.to(roomChannel(event.code)).except(userChannel(senderId)).emit('room-message', event),
    typing: (event, senderId) => io.to(roomChannel(event.code)).except(userChannel(senderId)).emit('room-typing', event),
    deleted: options.feed ? viaFeed : (event) => io.to(roomChannel(event.code)).emit('room-message-deleted', event),
    updated: (event) => io.to(roomChannel(event.code)).emit('room-updated', event),
    pins: options.feed ? viaFeed : (event) => marks.pins(event.code, event.pins),
    reactions: options.feed ? viaFeed : (event) => marks.reactions(event.code, event.seq, event.reactions),
    edited: options.feed ? viaFeed : (event) => io.to(roomChannel(event.code)).emit('room-message-edited', event),
    mentioned: (userId, event) => io.to(userChannel(userId)).emit('room-mention', event),
    backstageInvite: (userId, event) => io.to(userChannel(userId)).emit('room-backstage-invite', event),
    unread: (userId, event) => io.to(userChannel(userId)).emit('room-unread', event),
    kicked: (userId, code) => {
      io.in(userChannel(userId)).socketsLeave(roomChannel(code));
      io.to(userChannel(userId)).emit('room-kicked', { code });
    },
    left: (userId, code) => io.in(userChannel(userId)).socketsLeave(roomChannel(code)),
    removed: (userId, code) => {
      io.in(userChannel(userId)).socketsLeave(roomChannel(code));
      io.to(userChannel(userId)).emit('room-kicked', { code, removed: true });
    },
  };
}
