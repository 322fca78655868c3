/** What moderation needs from the rest of parley, as interfaces. */
import type { ReportTarget } from '../protocol';
import type { EvidenceMessage } from '../store/moderation-store';

/** What a report target resolves to on the server. */
export interface Found {
  /** The reported identity; `room:<code>` for a report about a whole room. */
  targetId: string;
  /** A report about a whole room: it never suspends anyone (an operator may remove the room). */
  room?: true;
  context: Record<string, string | number>;
  evidence: EvidenceMessage[];
}

/**
 * Finds who a report is about and gathers the evidence from what the server
 * stored (never from the reporter). Resolves null when the target does not
 * exist for this reporter (no recent chat, unknown message, not a member).
 */
export type EvidenceSource = (reporterId: string, target: ReportTarget, now: number) => Promise<Found | null>;

/** The settings moderation follows (a slice of Config). */
export interface ModerationPolicy {
  readonly reportSuspendThreshold: number;
  readonly reportRetentionDays: number;
}

/** Acts on the users connected to this node (each node runs one). */
export interface Enforcer {
  /** Ends the user's chat (partner sees `left`), removes it from its rooms and closes its connections here. */
  removeUser(userId: string, until: number | null): Promise<void>;
  /** The same for every user connected here from that address (hash). */
  removeAddress(ipHash: string, until: number | null): Promise<void>;
}
