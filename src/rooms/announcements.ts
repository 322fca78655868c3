/**
 * The words of a room's system messages (kind `system`): what every member
 * reads in the room when a co-host is named or the settings change. Mutes are
 * not announced: the member list shows them.
 */
import type { RoomSettings } from '../protocol';
import type { GrantedRole } from '../store/rooms-store';

export function roleNews(name: string, role: GrantedRole): string {
  return role === 'cohost' ? `${name} is now a co-host.` : `${name} is no longer a co-host.`;
}

/** One sentence per setting that changed, in the order slow mode, description, rules. */
export function settingsNews(before: RoomSettings, after: RoomSettings): string[] {
  const news: string[] = [];
  if (after.slowModeS !== before.slowModeS) {
    news.push(after.slowModeS > 0 ? `Slow mode is on: one message every ${after.slowModeS} s.` : 'Slow mode is off.');
  }
  if (after.description !== before.description) news.push("The host changed the room's description.");
  if (after.rules !== before.rules) news.push("The host changed the room's rules.");
  return news;
}
