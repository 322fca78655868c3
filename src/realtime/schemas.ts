/**
 * One schema per client event. A payload that fails its schema is answered
 * with INVALID_PAYLOAD before anything touches state. Objects are strict:
 * unknown keys (including `__proto__`) are refused.
 */
import { z } from 'zod';
import { MAX_INTEREST_LENGTH, MAX_INTERESTS, normalizeInterests } from '../matchmaking/interests';
import { MAX_ANY_LANGUAGE_AFTER_MS, MAX_LANGUAGES, canonicalLanguages } from '../matchmaking/languages';
import { MAX_EMOJI_LENGTH, normalizeEmoji } from '../rooms/reactions';

/** Text that survives JSON and UTF-8 intact (no lone surrogates). */
const wellFormed = (schema: z.ZodString) => schema.refine((s) => s.isWellFormed(), 'malformed Unicode');

const interests = z
  .array(wellFormed(z.string().trim().min(1).max(MAX_INTEREST_LENGTH)))
  .max(MAX_INTERESTS)
  .transform(normalizeInterests);

/** 1–3 BCP 47 tags, canonicalised (`EN-us` → `en-US`), duplicates dropped; a malformed tag fails. */
const languages = z
  .array(z.string().min(1).max(35))
  .min(1)
  .max(MAX_LANGUAGES)
  .transform((raw, ctx) => {
    try {
      return canonicalLanguages(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a BCP 47 language tag' });
      return z.NEVER;
    }
  });

/** A search: interests, and optionally the languages it speaks (see src/matchmaking/languages.ts). */
const search = z.strictObject({
  interests: interests.optional(),
  languages: languages.optional(),
  anyLanguageAfterMs: z.number().int().min(0).max(MAX_ANY_LANGUAGE_AFTER_MS).optional(),
  mode: z.enum(['text', 'video']).optional(),
});

/** Longest SDP of an `offer` or `answer`, in bytes (UTF-8): a browser's offer with audio, video and a data channel is 3–8 KiB. */
export const MAX_SDP_BYTES = 16 * 1024;
/** Longest ICE candidate line, in bytes: a real one is under 200. */
export const MAX_CANDIDATE_BYTES = 1024;

const bytesAtMost = (max: number) => (s: string) => Buffer.byteLength(s, 'utf8') <= max;

/** `RTCIceCandidateInit`, bounded: the candidate line ('' ends the candidates), its m-line and ICE username fragment. */
const iceCandidate = z.strictObject({
  candidate: wellFormed(z.string().max(MAX_CANDIDATE_BYTES)).refine(bytesAtMost(MAX_CANDIDATE_BYTES), 'candidate too long'),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1023).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

const sdp = wellFormed(z.string().min(1).max(MAX_SDP_BYTES)).refine(bytesAtMost(MAX_SDP_BYTES), 'SDP too long');

/** An SDP with `offer` and `answer` (and only there), a candidate with `ice` (and only there), neither with `restart` and `end`. */
const callSignal = z
  .strictObject({
    kind: z.enum(['offer', 'answer', 'ice', 'restart', 'end']),
    sdp: sdp.optional(),
    candidate: iceCandidate.optional(),
  })
  .refine(
    ({ kind, sdp, candidate }) =>
      (kind === 'offer' || kind === 'answer') === (sdp !== undefined) && (kind === 'ice') === (candidate !== undefined),
    'offer and answer carry an sdp, ice a candidate, restart and end neither',
  );

const empty = z.strictObject({});

/** Longest mute: 7 days. */
export const MAX_MUTE_MS = 7 * 86_400_000;
/** Longest slow mode: one message an hour. */
export const MAX_SLOW_MODE_S = 3600;
export const MAX_DESCRIPTION_LENGTH = 300;
export const MAX_RULES_LENGTH = 2000;

/** Public room codes are readable (`general`), private ones nanoids. */
const roomCode = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Letters, digits, spaces and `_ . -`; surrounding spaces trimmed, inner runs collapsed. */
const displayName = z
  .string()
  .trim()
  .min(2)
  .max(24)
  .regex(/^[\p{L}\p{N}_.\- ]+$/u)
  .transform((name) => name.replace(/\s+/g, ' '));
const topic = wellFormed(z.string().trim().min(1).max(MAX_INTEREST_LENGTH)).transform((t) => normalizeInterests([t])[0]!);

/** Contact and direct-message ids are nanoids. */
const opaqueId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const nickname = wellFormed(z.string().trim().min(1).max(40));
/** A send's client-chosen id (streams.ts): a retry with it is stored once. */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** How long a pin lasts: a second to 30 days. */
const PIN_MAX_MS = 30 * 86_400_000;
/** One emoji (src/rooms/reactions.ts). */
const emoji = z.string().max(MAX_EMOJI_LENGTH).refine((e) => normalizeEmoji(e) !== null, 'not one emoji');
/** A stream's epoch, as the server gave it. */
const epoch = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const schemas = {
  'find-match': search,
  'cancel-match': empty,
  'next-match': search,
  // Length and emptiness get their own error codes in the handler.
  'send-message': z.strictObject({
    text: wellFormed(z.string()),
    replyTo: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
    clientId: clientId.optional(),
  }),
  typing: z.strictObject({ isTyping: z.boolean() }),
  'leave-room': empty,
  block: empty,
  'call-signal': callSignal,
  'call-state': z.strictObject({ camera: z.boolean(), microphone: z.boolean() }),
  'call-credentials': empty,
  'room-create': z.strictObject({
    title: wellFormed(z.string().trim().min(1).max(60)),
    topic: topic.optional(),
    visibility: z.enum(['public', 'private']),
  }),
  'room-join': z.strictObject({ code: roomCode, name: displayName.optional(), sinceSeq: seq.optional(), epoch: epoch.optional() }),
  'room-leave': z.strictObject({ code: roomCode }),
  'room-typing': z.strictObject({ code: roomCode, isTyping: z.boolean() }),
  'room-message': z.strictObject({
    code: roomCode,
    text: wellFormed(z.string()),
    replyTo: seq.min(1).optional(),
    clientId: clientId.optional(),
  }),
  'room-delete-message': z.strictObject({ code: roomCode, seq: seq.min(1) }),
  'room-kick': z.strictObject({ code: roomCode, name: displayName }),
  'room-role': z.strictObject({ code: roomCode, name: displayName, role: z.enum(['cohost', 'member']) }),
  // 0 lifts a mute.
  'room-mute': z.strictObject({ code: roomCode, name: displayName, durationMs: z.number().int().min(0).max(MAX_MUTE_MS) }),
  'room-settings': z.strictObject({
    code: roomCode,
    slowModeS: z.number().int().min(0).max(MAX_SLOW_MODE_S).optional(),
    // An empty text clears it.
    description: wellFormed(z.string().trim().max(MAX_DESCRIPTION_LENGTH)).optional(),
    rules: wellFormed(z.string().trim().max(MAX_RULES_LENGTH)).optional(),
  }),
  'room-pin': z.strictObject({ code: roomCode, seq: seq.min(1), durationMs: z.number().int().min(1000).max(PIN_MAX_MS).optional() }),
  'room-unpin': z.strictObject({ code: roomCode, seq: seq.min(1) }),
  'room-react': z.strictObject({ code: roomCode, seq: seq.min(1), emoji, on: z.boolean() }),
  // Length and emptiness get their own error codes in the service, as for room-message.
  'room-edit': z.strictObject({ code: roomCode, seq: seq.min(1), text: wellFormed(z.string()) }),
  'room-read': z.strictObject({ code: roomCode, seq }),
  'room-backstage': z.strictObject({ code: roomCode, invite: displayName.optional() }),
  'keep-in-touch': empty,
  'contacts-list': empty,
  'contact-rename': z.strictObject({ contactId: opaqueId, nickname }),
  'contact-remove': z.strictObject({ contactId: opaqueId }),
  'contact-block': z.strictObject({ contactId: opaqueId }),
  // Length and emptiness get their own error codes, as for the chat.
  'dm-send': z.strictObject({
    contactId: opaqueId,
    text: wellFormed(z.string()),
    replyTo: opaqueId.optional(),
    clientId: clientId.optional(),
  }),
  'dm-history': z.strictObject({
    contactId: opaqueId,
    before: opaqueId.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  'dm-read': z.strictObject({ contactId: opaqueId, upTo: opaqueId }),
  'dm-typing': z.strictObject({ contactId: opaqueId, isTyping: z.boolean() }),
  settings: z.strictObject({ appearOffline: z.boolean() }),
  'delete-identity': empty,
  report: z.strictObject({
    target: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('chat') }),
      z.strictObject({ kind: z.literal('room'), code: roomCode, seq: seq.min(1) }),
      z.strictObject({ kind: z.literal('room-itself'), code: roomCode }),
      z.strictObject({ kind: z.literal('dm'), contactId: opaqueId, id: opaqueId }),
    ]),
    reason: z.enum(['spam', 'harassment', 'sexual', 'minor-safety', 'hate', 'other']),
    note: wellFormed(z.string().max(500)).optional(),
  }),
  sync: z.strictObject({
    stream: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('chat') }),
      z.strictObject({ kind: z.literal('room'), code: roomCode }),
      z.strictObject({ kind: z.literal('dm'), contactId: opaqueId }),
    ]),
    afterSeq: seq,
    epoch: epoch.optional(),
    limit: z.number().int().min(1).max(500).optional(),
  }),
  // The version is GET /api/config's rulesVersion (a short hash); an outdated one is RULES_NOT_ACCEPTED.
  'accept-rules': z.strictObject({ version: z.string().regex(/^[a-f0-9]{4,64}$/), ageConfirmed: z.literal(true) }),
} as const;

export type EventName = keyof typeof schemas;
export type PayloadOf<E extends EventName> = z.output<(typeof schemas)[E]>;
