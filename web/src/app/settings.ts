/**
 * Limits the page follows. The node publishes them at GET /api/config; the
 * defaults below match the server's own defaults and are used when that
 * endpoint is missing or unreachable.
 */
export interface Settings {
  /** Longest message, in characters, the server accepts. */
  maxMessageLength: number;
  /** Most interests one search may carry. */
  maxInterests: number;
  /** Longest single interest, in characters. */
  maxInterestLength: number;
  /** How long a search with interests waits before anyone may be matched. */
  randomFallbackMs: number;
  /** How long the server keeps a typing flag alive without a refresh. */
  typingTimeoutMs: number;
  /** How long after a chat ended "Keep in touch" still works (the server's CONTACT_OFFER_MS). */
  contactOfferMs: number;
  /** How many days direct messages are kept (the server's DM_RETENTION_DAYS). */
  dmRetentionDays: number;
  /** The server asks for `accept-rules` before searches and room joins. */
  rulesGate: boolean;
  /** The rules version to accept (the text is at /rules); '' when unknown. */
  rulesVersion: string;
  /** The age users confirm. */
  minAge: number;
  /** A new identity solves a proof-of-work challenge before connecting. */
  pow: boolean;
  /** How long after a one-to-one chat its partner can still be reported (the server's REPORT_WINDOW_MS). */
  reportWindowMs: number;
  /** How long after sending an own room message can be edited or deleted (the server's ROOM_EDIT_WINDOW_MS). */
  roomEditWindowMs: number;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  maxMessageLength: 1000,
  maxInterests: 10,
  maxInterestLength: 30,
  randomFallbackMs: 5000,
  typingTimeoutMs: 5000,
  contactOfferMs: 5 * 60_000,
  dmRetentionDays: 30,
  rulesGate: false,
  rulesVersion: '',
  minAge: 18,
  pow: false,
  reportWindowMs: 10 * 60_000,
  roomEditWindowMs: 15 * 60_000,
});

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Reads /api/config; never rejects. */
export async function loadSettings(url = '/api/config'): Promise<Settings> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) return { ...DEFAULT_SETTINGS };
    const body = (await res.json()) as Partial<Record<keyof Settings, unknown>>;
    const version = typeof body.rulesVersion === 'string' && /^[a-f0-9]{4,64}$/.test(body.rulesVersion) ? body.rulesVersion : '';
    return {
      maxMessageLength: positive(body.maxMessageLength, DEFAULT_SETTINGS.maxMessageLength),
      maxInterests: positive(body.maxInterests, DEFAULT_SETTINGS.maxInterests),
      maxInterestLength: positive(body.maxInterestLength, DEFAULT_SETTINGS.maxInterestLength),
      randomFallbackMs: positive(body.randomFallbackMs, DEFAULT_SETTINGS.randomFallbackMs),
      typingTimeoutMs: positive(body.typingTimeoutMs, DEFAULT_SETTINGS.typingTimeoutMs),
      contactOfferMs: positive(body.contactOfferMs, DEFAULT_SETTINGS.contactOfferMs),
      dmRetentionDays: positive(body.dmRetentionDays, DEFAULT_SETTINGS.dmRetentionDays),
      rulesGate: body.rulesGate === true && version !== '',
      rulesVersion: version,
      minAge: positive(body.minAge, DEFAULT_SETTINGS.minAge),
      pow: body.pow === true,
      reportWindowMs: positive(body.reportWindowMs, DEFAULT_SETTINGS.reportWindowMs),
      roomEditWindowMs: positive(body.roomEditWindowMs, DEFAULT_SETTINGS.roomEditWindowMs),
    };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}
