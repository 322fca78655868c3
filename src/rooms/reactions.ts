/**
 * Reactions: which emoji a reaction may be, how many a message holds, and how
 * a message's reactions look to one member. A reaction is one emoji — a single
 * RGI emoji grapheme (👍, 👍🏽, 👨‍👩‍👧, 🇫🇷); a symbol typed without its emoji
 * presentation selector (❤ for ❤️) is taken as the emoji. A message holds at
 * most MAX_EMOJI_PER_MESSAGE different emoji; each member reacts at most once
 * with each emoji.
 */
import type { RoomReaction } from '../protocol';
import type { Reactions } from '../store/rooms-store';

/** Different emoji one message holds at most. */
export const MAX_EMOJI_PER_MESSAGE = 20;
/** Longest emoji accepted, in UTF-16 units (the longest RGI sequences are 14). */
export const MAX_EMOJI_LENGTH = 32;

// Built at run time: the `v` flag is newer than the compile target.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const PRESENTATION = '\uFE0F';

/** The emoji as stored, or null when `text` is not exactly one emoji. */
export function normalizeEmoji(text: string): string | null {
  if (text.length === 0 || text.length > MAX_EMOJI_LENGTH) return null;
  if (RGI_EMOJI.test(text)) return text;
  if (!text.endsWith(PRESENTATION) && RGI_EMOJI.test(text + PRESENTATION)) return text + PRESENTATION;
  return null;
}

/** A message's reactions as `viewerId` sees them (`mine` false for everyone without a viewer). */
export function reactionsView(reactions: Reactions, viewerId: string | null): RoomReaction[] {
  return reactions.map(([emoji, users]) => ({ emoji, count: users.length, mine: viewerId !== null && users.includes(viewerId) }));
}
