/** The time as the rules see it: plugged in by the server, faked in tests. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
