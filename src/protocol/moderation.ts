/** Moderation as a user meets it on the wire: what a report names and why. */

export type ReportReason = 'spam' | 'harassment' | 'sexual' | 'minor-safety' | 'hate' | 'other';

export type ReportTarget =
  /** The current or most recent one-to-one partner (within REPORT_WINDOW_MS after the chat). */
  | { kind: 'chat' }
  | { kind: 'room'; code: string; seq: number }
  /** A whole room (its title, topic, what it is used for): a public room, or a private one the reporter is in. */
  | { kind: 'room-itself'; code: string }
  | { kind: 'dm'; contactId: string; id: string };

export interface ReportPayload {
  target: ReportTarget;
  reason: ReportReason;
  /** At most 500 characters. */
  note?: string;
  /**
   * A report of a chat partner (`target.kind: "chat"`) only: one still frame of
   * the partner's video as a `data:image/jpeg;base64,…` URL, at most 150 KB
   * decoded. Kept with the report and shown to operators as supplied by the
   * reporter, not verified by parley.
   */
  frame?: string;
}
