/**
 * A new epoch of a message stream (a one-to-one chat, a DM conversation):
 * opaque and random, so a stream made again under the same name never
 * repeats an earlier one's. Topic rooms take theirs from the room's creation
 * time (roomEpoch in rooms-store.ts).
 */
import { randomBytes } from 'node:crypto';

export const newEpoch = (): string => randomBytes(6).toString('base64url');

/**
 * Where an answer to a client starts in a stream: after the seq it holds when
 * the epoch it holds is the stream's (or it names none), else nowhere in
 * particular (undefined: what it held was of another stream).
 */
export function startAfter(held: { epoch?: unknown; seq?: unknown }, current: string): number | undefined {
  const same = held.epoch === undefined || held.epoch === current;
  return same && typeof held.seq === 'number' ? held.seq : undefined;
}
