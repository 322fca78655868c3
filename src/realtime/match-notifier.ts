/** Delivers matchmaking outcomes through each user's channel, on any node. */
import type { MatchNotifier } from '../matchmaking/ports';
import type { IceServer } from '../protocol';
import type { ParleyIo } from './types';
import { userChannel } from './channels';
import { toUser } from './socket-here';

/** The ICE servers (with fresh TURN credentials) of a user of a video chat. */
export type IceServersOf = (userId: string) => IceServer[];

export function createMatchNotifier(io: ParleyIo, nodeId: string, iceServersOf: IceServersOf): MatchNotifier {
  return {
    // Straight to the connection the commit named when it is on this node; else through the user's channel.
    matched: (userId, event, { initiator, socket }) =>
      toUser(io, nodeId, userId, socket).emit('matched', event.mode === 'video' ? { ...event, call: { iceServers: iceServersOf(userId), initiator } } : event),
    partnerLeft: (userId, event) => io.to(userChannel(userId)).emit('partner-disconnected', event),
    partnerAway: (userId, event) => io.to(userChannel(userId)).emit('partner-away', event),
    partnerBack: (userId, event) => io.to(userChannel(userId)).emit('partner-back', event),
    stateLost: (userId) => io.to(userChannel(userId)).emit('state-lost', {}),
    searchStatus: (userId, event) => io.to(userChannel(userId)).emit('search-status', event),
    callEnded: (userId, event) => io.to(userChannel(userId)).emit('call-state', callEndedEvent(event.roomId, event.by)),
  };
}

/** `call-state` telling that the call ended: camera and microphone off. */
export function callEndedEvent(roomId: string, by: 'you' | 'partner') {
  return { roomId, camera: false, microphone: false, ended: true as const, by };
}
