/**
 * One schema per client event. A payload that fails its schema is answered
 * with INVALID_PAYLOAD before anything touches state. Objects are strict:
 * unknown keys (including `__proto__`) are refused.
 */
import { z } from 'zod';
import { MAX_INTEREST_LENGTH, MAX_INTERESTS, normalizeInterests } from '../matchmaking/interests';

/** Text that survives JSON and UTF-8 intact (no lone surrogates). */
const wellFormed = (schema: z.ZodString) => schema.refine((s) => s.isWellFormed(), 'malformed Unicode');

const interests = z
  .array(wellFormed(z.string().trim().min(1).max(MAX_INTEREST_LENGTH)))
  .max(MAX_INTERESTS)
  .transform(normalizeInterests);

const empty = z.strictObject({});

export const schemas = {
  'find-match': z.strictObject({ interests: interests.optional() }),
  'cancel-match': empty,
  'next-match': z.strictObject({ interests: interests.optional() }),
  // Length and emptiness get their own error codes in the handler.
  'send-message': z.strictObject({
    text: wellFormed(z.string()),
    replyTo: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  }),
  typing: z.strictObject({ isTyping: z.boolean() }),
  'leave-room': empty,
  block: empty,
} as const;

export type EventName = keyof typeof schemas;
export type PayloadOf<E extends EventName> = z.output<(typeof schemas)[E]>;
