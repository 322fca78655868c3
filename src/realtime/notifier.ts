/** Delivers matchmaking outcomes through each user's room, on any node. */
import type { MatchNotifier } from '../matchmaking/ports';
import type { ParleyIo } from './types';
import { userRoom } from './rooms';

export function createNotifier(io: ParleyIo): MatchNotifier {
  return {
    matched: (userId, event) => io.to(userRoom(userId)).emit('matched', event),
    partnerLeft: (userId, event) => io.to(userRoom(userId)).emit('partner-disconnected', event),
    partnerAway: (userId, event) => io.to(userRoom(userId)).emit('partner-away', event),
    partnerBack: (userId, event) => io.to(userRoom(userId)).emit('partner-back', event),
    stateLost: (userId) => io.to(userRoom(userId)).emit('state-lost', {}),
    searchStatus: (userId, event) => io.to(userRoom(userId)).emit('search-status', event),
  };
}
