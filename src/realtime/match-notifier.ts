/** Delivers matchmaking outcomes through each user's channel, on any node. */
import type { MatchNotifier } from '../matchmaking/ports';
import type { ParleyIo } from './types';
import { userChannel } from './channels';

export function createMatchNotifier(io: ParleyIo): MatchNotifier {
  return {
    matched: (userId, event) => io.to(userChannel(userId)).emit('matched', event),
    partnerLeft: (userId, event) => io.to(userChannel(userId)).emit('partner-disconnected', event),
    partnerAway: (userId, event) => io.to(userChannel(userId)).emit('partner-away', event),
    partnerBack: (userId, event) => io.to(userChannel(userId)).emit('partner-back', event),
    stateLost: (userId) => io.to(userChannel(userId)).emit('state-lost', {}),
    searchStatus: (userId, event) => io.to(userChannel(userId)).emit('search-status', event),
  };
}
