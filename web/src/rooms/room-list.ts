/**
 * The public room list, without the DOM: the server sends it most members
 * first, then most recently active; rooms with someone in them are shown, the
 * empty ones go under "Quiet rooms"; and a new public room whose title an
 * active room already has is worth a question first.
 */
import type { RoomInfo, RoomVisibility } from '@parley/protocol';
import { t } from '../i18n/i18n';

/** Rooms with people in them, and the quiet ones (each in the server's order). */
export function splitByActivity(rooms: readonly RoomInfo[]): { active: RoomInfo[]; quiet: RoomInfo[] } {
  return { active: rooms.filter((r) => r.members > 0), quiet: rooms.filter((r) => r.members === 0) };
}

/** Titles compare without case, accents' width or extra spaces. */
export function sameTitle(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  return norm(a) === norm(b);
}

/** The active public room a new public room would duplicate, if any (the busiest one). */
export function activeDuplicate(rooms: readonly RoomInfo[], title: string, visibility: RoomVisibility): RoomInfo | null {
  if (visibility !== 'public') return null;
  return rooms.find((r) => r.visibility === 'public' && r.members > 0 && sameTitle(r.title, title)) ?? null;
}

/** "active 5 min ago", "active 3 h ago", "active 2 days ago", or "active now" within the minute. */
export function activeAgo(lastActiveAt: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - lastActiveAt) / 60_000);
  if (minutes < 1) return t('rooms.active_now');
  if (minutes < 60) return t('rooms.active_minutes', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('rooms.active_hours', { hours });
  return t('rooms.active_days', { days: Math.floor(hours / 24) });
}
