/**
 * Mentions: `@name` in a room message names a member present in the room.
 * The server resolves them against the room's members only, so a mention
 * never tells anyone who else is in a room, and only members are notified.
 * Names may hold spaces ("Ada Lovelace"), so at each `@` the longest member
 * name that follows (case-insensitive, as names are unique) wins, and it must
 * end where a word ends ("@Ada" does not name "Adam"). An `@` inside a word
 * (an address like a@b.c) mentions no one.
 */

/** Names one message mentions at most: more are left unresolved (no fan-out of hundreds of notifications). */
export const MAX_MENTIONS = 20;

const WORD = /[\p{L}\p{N}_]/u;

/** The member names the text mentions, in the order they first appear, each once. */
export function resolveMentions(text: string, names: readonly string[]): string[] {
  if (!text.includes('@') || names.length === 0) return [];
  const byLength = [...names].sort((a, b) => b.length - a.length);
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (let at = lower.indexOf('@'); at >= 0 && found.length < MAX_MENTIONS; at = lower.indexOf('@', at + 1)) {
    if (at > 0 && WORD.test(lower[at - 1]!)) continue;
    const name = byLength.find((candidate) => {
      const end = at + 1 + candidate.length;
      return lower.startsWith(candidate.toLowerCase(), at + 1) && (end >= lower.length || !WORD.test(lower[end]!));
    });
    if (name !== undefined && !found.includes(name)) found.push(name);
  }
  return found;
}

/** The members (other than the sender) the text mentions. */
export function mentionedMembers<M extends { userId: string; name: string }>(text: string, members: readonly M[], senderId: string): M[] {
  const others = members.filter((m) => m.userId !== senderId);
  const names = resolveMentions(
    text,
    others.map((m) => m.name),
  );
  return names.map((name) => others.find((m) => m.name === name)!);
}
