/** Interest limits and normalisation, shared by the schema and the rules. */

export const MAX_INTERESTS = 10;
export const MAX_INTEREST_LENGTH = 30;

/**
 * Trims, lower-cases and de-duplicates interests, keeping the first
 * occurrence's order. Length limits are checked by the caller's schema.
 */
export function normalizeInterests(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const item of raw) {
    const interest = item.trim().toLowerCase().replace(/\s+/g, ' ');
    if (!out.includes(interest)) out.push(interest);
  }
  return out;
}

/** Interests both lists hold, in the order of the first. */
export function commonInterests(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((interest) => b.includes(interest));
}
