/**
 * The messages of a room itself (kind `system`): what every member reads in
 * the room when a co-host is named or the settings change. Mutes are not
 * announced: the member list shows them. Each is a notice (what it says, for
 * a client to word in its reader's language) stored as its English text; the
 * wording and its reading back live here together, so a history read from any
 * store carries the same notice.
 */
import type { RoomNotice, RoomSettings } from '../protocol';
import type { GrantedRole } from '../store/rooms-store';

/** The English words of a notice, as stored and as `text` carries them. */
export function noticeText(notice: RoomNotice): string {
  switch (notice.kind) {
    case 'cohost-added':
      return `${notice.name} is now a co-host.`;
    case 'cohost-removed':
      return `${notice.name} is no longer a co-host.`;
    case 'slow-mode-on':
      return `Slow mode is on: one message every ${notice.seconds} s.`;
    case 'slow-mode-off':
      return 'Slow mode is off.';
    case 'description-changed':
      return "The host changed the room's description.";
    case 'rules-changed':
      return "The host changed the room's rules.";
  }
}

const FIXED: readonly RoomNotice[] = [{ kind: 'slow-mode-off' }, { kind: 'description-changed' }, { kind: 'rules-changed' }];

/** The notice a system message's stored text says; undefined for words this module never wrote. */
export function noticeOf(text: string): RoomNotice | undefined {
  const fixed = FIXED.find((notice) => noticeText(notice) === text);
  if (fixed) return fixed;
  const slow = /^Slow mode is on: one message every (\d+) s\.$/.exec(text);
  if (slow) return { kind: 'slow-mode-on', seconds: Number(slow[1]) };
  const added = /^(.+) is now a co-host\.$/s.exec(text);
  if (added) return { kind: 'cohost-added', name: added[1]! };
  const removed = /^(.+) is no longer a co-host\.$/s.exec(text);
  if (removed) return { kind: 'cohost-removed', name: removed[1]! };
  return undefined;
}

export function roleNews(name: string, role: GrantedRole): string {
  return noticeText(role === 'cohost' ? { kind: 'cohost-added', name } : { kind: 'cohost-removed', name });
}

/** One message per setting that changed, in the order slow mode, description, rules. */
export function settingsNews(before: RoomSettings, after: RoomSettings): string[] {
  const news: RoomNotice[] = [];
  if (after.slowModeS !== before.slowModeS) {
    news.push(after.slowModeS > 0 ? { kind: 'slow-mode-on', seconds: after.slowModeS } : { kind: 'slow-mode-off' });
  }
  if (after.description !== before.description) news.push({ kind: 'description-changed' });
  if (after.rules !== before.rules) news.push({ kind: 'rules-changed' });
  return news.map(noticeText);
}
