/**
 * A new epoch of a message stream (a one-to-one chat, a DM conversation):
 * opaque and random, so a stream made again under the same name never
 * repeats an earlier one's. Topic rooms take theirs from the room's creation
 * time (roomEpoch in rooms-store.ts).
 */
import { randomBytes } from 'node:crypto';

export const newEpoch = (): string => randomBytes(6).toString('base64url');
