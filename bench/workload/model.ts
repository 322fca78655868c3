/**
 * The workload model of stranger-chat users: what a simulated user does and
 * how often. Every field can be set on the command line with
 * `--workload key=value,key=value` (see docs/benchmarks.md, "Workload model").
 */

export interface WorkloadModel {
  /** Mean time a user stays on the site, seconds (exponential); a leaving user is replaced by a new arrival. */
  sessionS: number;
  /** Share of users who search with 1–3 interests (the others search without). */
  interestShare: number;
  /** How many distinct interests exist (smaller: more overlap). */
  interestPool: number;
  /** Mean messages a user sends in one chat (geometric, at least 1). */
  chatMessages: number;
  /** Mean think time between two messages of a user, seconds (exponential). */
  thinkS: number;
  /** Share of messages preceded by a `typing` indicator (typing time is part of the think time). */
  typingShare: number;
  /** Share of chats a user ends with `next-match` (skip) rather than `leave-room` and a new search. */
  skipShare: number;
  /** Reconnect blips per chatting user per minute (phone in the background: disconnect, resume with the token). */
  blipsPerMin: number;
  /** Longest blip, seconds (uniform from 0.5 s; keep it below RESUME_GRACE_MS). */
  blipMaxS: number;
  /** Page reloads per chatting user per minute (reconnect at once with the token, no lastSeenId). */
  reloadsPerMin: number;
  /** Share of users who sit in a topic room instead of the one-to-one chat. */
  roomShare: number;
  /** Mean think time between two room messages of a room user, seconds. */
  roomThinkS: number;
  /** Share of users who exchange direct messages with their contacts. */
  dmShare: number;
  /** Contacts per DM user (seeded in PostgreSQL). */
  dmContacts: number;
  /** Mean think time between two DMs of a DM user, seconds. */
  dmThinkS: number;
  /** New users arriving per second per load process while a step ramps up. */
  rampPerS: number;
}

export const DEFAULT_MODEL: Readonly<WorkloadModel> = Object.freeze({
  sessionS: 180,
  interestShare: 0.5,
  interestPool: 12,
  chatMessages: 8,
  thinkS: 6,
  typingShare: 0.6,
  skipShare: 0.5,
  blipsPerMin: 0.2,
  blipMaxS: 5,
  reloadsPerMin: 0.05,
  roomShare: 0.1,
  roomThinkS: 20,
  dmShare: 0.1,
  dmContacts: 4,
  dmThinkS: 20,
  rampPerS: 150,
});

/** Parses `key=value,…` over the defaults; throws on an unknown key or a bad value. */
export function parseModel(spec: string | undefined, base: WorkloadModel = DEFAULT_MODEL): WorkloadModel {
  const model: WorkloadModel = { ...base };
  if (!spec) return model;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=');
    if (!key || raw === undefined || !(key in model)) throw new Error(`unknown workload key "${key}" (keys: ${Object.keys(model).join(', ')})`);
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`workload ${key} must be a number ≥ 0`);
    if (key.endsWith('Share') && value > 1) throw new Error(`workload ${key} is a share between 0 and 1`);
    (model as unknown as Record<string, number>)[key] = value;
  }
  if (model.roomShare + model.dmShare > 1) throw new Error('workload roomShare + dmShare must be ≤ 1');
  return model;
}

/** Exponentially distributed with this mean. */
export function exp(mean: number): number {
  return -Math.log(1 - Math.random()) * mean;
}

/** Geometric on 1, 2, … with this mean (≥ 1). */
export function geometric(mean: number): number {
  const p = 1 / Math.max(1, mean);
  return Math.max(1, Math.ceil(Math.log(1 - Math.random()) / Math.log(1 - p) || 1));
}

/** 1–3 distinct interests from the pool, or none. */
export function pickInterests(model: WorkloadModel): string[] {
  if (Math.random() >= model.interestShare) return [];
  const n = 1 + Math.floor(Math.random() * 3);
  const out = new Set<string>();
  while (out.size < Math.min(n, model.interestPool)) out.add(`topic${Math.floor(Math.random() * model.interestPool)}`);
  return [...out];
}
