/** What the contacts rules need of matchmaking, read from the match store. */
import type { Clock } from '../clock';
import type { MatchStore } from '../store/match-store';
import type { SafetyMarks } from '../store/safety-marks';
import type { Encounters } from './ports';

export function createEncounters(store: Pick<MatchStore, 'getUser'> & Pick<SafetyMarks, 'blockedUntil' | 'blockUser'>, clock: Clock, blockTtlMs: number): Encounters {
  return {
    async lastChat(userId) {
      const u = await store.getUser(userId);
      if (u.state === 'chatting' && u.partnerId && u.roomId) return { partnerId: u.partnerId, roomId: u.roomId, endedAt: null };
      if (u.lastPartnerId && u.lastRoomId && u.lastEndedAt !== undefined) {
        return { partnerId: u.lastPartnerId, roomId: u.lastRoomId, endedAt: u.lastEndedAt };
      }
      return null;
    },
    async blocked(a, b) {
      const now = clock.now();
      const [ab, ba] = await Promise.all([store.blockedUntil(a, b, now), store.blockedUntil(b, a, now)]);
      return ab > 0 || ba > 0;
    },
    block: (userId, targetId) => store.blockUser(userId, targetId, clock.now(), blockTtlMs),
  };
}
