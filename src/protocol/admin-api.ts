/**
 * The operator API's JSON (GET/POST/DELETE /api/admin/…, docs/moderation.md):
 * what the console at /admin sends and reads. Reports, bans and audit entries
 * go out as the moderation store keeps them (src/store/moderation-store.ts
 * uses these shapes for its records), so the server and the console are
 * checked against the same types. GET /api/admin/rooms/:code/messages answers
 * a RoomHistoryPage (rooms.ts).
 */
import type { ReportReason } from './moderation';
import type { RoomInfo } from './rooms';

export type ReportKind = 'chat' | 'room' | 'dm';

/** One message of the evidence, as the server stored it. */
export interface EvidenceMessage {
  /** Who wrote it, from the operator's point of view. */
  author: 'reported' | 'reporter' | 'other';
  /** The display name in a room; absent elsewhere. */
  name?: string;
  text: string;
  /** Server time, epoch ms. */
  sentAt: number;
  /** Room messages: their seq. */
  seq?: number;
  /** True for the message the report points at (room and DM reports). */
  reported?: boolean;
  /**
   * `call`: not a message but a line of a video chat's call metadata, in
   * plain words (`text`: "Video call started", "Turned the camera off", …),
   * by `author` at `sentAt`. Never media or signalling: the server has none.
   */
  kind?: 'call';
}

/** A report with the evidence the server gathered. */
export interface Report {
  id: string;
  reporterId: string;
  /** Keyed hash of the reporter's address when it reported (IPv6 by /64); null for reports kept from before it was recorded. */
  reporterIpHash: string | null;
  /** The reported identity, or `room:<code>` for a whole room. */
  targetId: string;
  kind: ReportKind;
  /** Where: the chat's room id, the room code and seq, or the DM's message id. */
  context: Record<string, string | number>;
  reason: ReportReason;
  note: string | null;
  evidence: EvidenceMessage[];
  /** Keyed hash of the reported user's address (IPv6 by /64) when it was connected; null otherwise. */
  targetIpHash: string | null;
  createdAt: number;
  status: 'open' | 'closed';
  /** How an operator closed it. */
  resolution: { action: 'dismiss' | 'ban'; at: number; banId?: string } | null;
}

export type BanKind = 'identity' | 'ip';

export interface Ban {
  id: string;
  kind: BanKind;
  /** A user id, or an address hash. */
  subject: string;
  /** Epoch ms; null for a ban without end. */
  until: number | null;
  reason: string;
  reportId: string | null;
  createdAt: number;
  /** Set when an operator lifted it. */
  liftedAt: number | null;
  /**
   * An identity ban: the banned identity's last-known address hash. New
   * identities from it are refused for a while (BAN_ADDRESS_MARK_MS); null
   * when unknown, and for an address ban.
   */
  addressHash: string | null;
}

export interface AuditEntry {
  at: number;
  action: string;
  /** What the action was about: ids and values, never a token. */
  detail: Record<string, unknown>;
  /** The caller's address hash. */
  actor: string;
}

/** The open (or closed) reports against one identity or room, with its history. */
export interface ReportGroup {
  targetId: string;
  /** Distinct reporters of the open reports. */
  reporterCount: number;
  /** Distinct addresses (hashes) those reports came from. */
  reporterAddresses: number;
  /** True when some of the reporters share an address (when reporting, or since): perhaps one person. */
  sharedAddress: boolean;
  /** Reporters that count towards an automatic suspension: established identities, one per address. */
  independentReporters: number;
  suspended: boolean;
  reports: Report[];
  /** Closed reports against the identity, newest first. */
  earlierReports: Report[];
  /** Every ban of the identity or of an address it was reported from, newest first. */
  bans: Ban[];
}

/** The body of POST /api/admin/reports/:id/resolve. */
export type Resolution =
  | { action: 'dismiss' }
  | {
      action: 'ban';
      /** Ban length, 1 minute to 100 years; absent: forever. */
      durationMs?: number;
      /** Also ban the reported address (IPv6 by /64) for the same time. */
      banIp?: boolean;
    };

/** A room as the console lists it. */
export interface RoomRow extends RoomInfo {
  /** Open reports about the room or a message in it. */
  reports: number;
}

/** GET /api/admin/reports?status=open|closed: groups by reported identity. */
export interface ReportQueueResponse {
  groups: ReportGroup[];
}

/** GET /api/admin/reports/:id. */
export interface ReportResponse {
  report: Report;
  group: ReportGroup;
}

/** POST /api/admin/reports/:id/resolve: the closed report and the bans it made. */
export interface ResolveResponse {
  report: Report;
  bans: Ban[];
}

/** GET /api/admin/bans: the bans in force. */
export interface BansResponse {
  bans: Ban[];
}

/** GET /api/admin/audit?limit=: newest first. */
export interface AuditResponse {
  entries: AuditEntry[];
}

/** GET /api/admin/rooms: every room, most open reports first. */
export interface RoomsResponse {
  rooms: RoomRow[];
}
