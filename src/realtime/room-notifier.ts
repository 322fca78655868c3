/** Delivers topic-room events through Socket.IO rooms, on any node (the adapter carries them). */
import type { RoomNotifier } from '../rooms/ports';
import { roomChannel, userRoom } from './rooms';
import type { ParleyIo } from './types';

export function createRoomNotifier(io: ParleyIo): RoomNotifier {
  return {
    presence: (event) => io.to(roomChannel(event.code)).emit('room-presence', event),
    message: (event, senderId) => io.to(roomChannel(event.code)).except(userRoom(senderId)).emit('room-message', event),
    typing: (event, senderId) => io.to(roomChannel(event.code)).except(userRoom(senderId)).emit('room-typing', event),
    deleted: (event) => io.to(roomChannel(event.code)).emit('room-message-deleted', event),
    kicked: (userId, code) => {
      io.in(userRoom(userId)).socketsLeave(roomChannel(code));
      io.to(userRoom(userId)).emit('room-kicked', { code });
    },
    left: (userId, code) => io.in(userRoom(userId)).socketsLeave(roomChannel(code)),
  };
}
