/** Friendly display names for members who did not choose one. */

const ADJECTIVES = ['Calm', 'Brave', 'Quiet', 'Lucky', 'Witty', 'Sunny', 'Swift', 'Gentle', 'Bold', 'Merry', 'Clever', 'Kind'];
const ANIMALS = ['Otter', 'Falcon', 'Panda', 'Fox', 'Heron', 'Lynx', 'Koala', 'Robin', 'Badger', 'Dolphin', 'Owl', 'Tiger'];

/** e.g. "Calm Otter 42" (at most 19 characters). */
export function friendlyName(random: () => number = Math.random): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)} ${Math.floor(random() * 90) + 10}`;
}
