/**
 * The record of moderation: reports with the evidence the server gathered,
 * suspensions, bans and the operators' audit log. PostgreSQL with
 * DATABASE_URL (so bans survive a Redis loss), memory on the single node;
 * one behaviour suite (test/store/moderation-store-contract.ts) runs against
 * both.
 */
import type { AuditEntry, Ban, Report } from '../protocol';

export type { AuditEntry, BanKind, EvidenceMessage, ReportKind } from '../protocol';

/**
 * A report, a ban: stored as the operator API sends them
 * (src/protocol/admin-api.ts), so the console reads exactly what is kept.
 */
export type ReportRecord = Report;
export type BanRecord = Ban;

/**
 * What the server knows of an identity's past, to tell an established
 * identity from a throwaway one (REPORT_MIN_IDENTITY_AGE_MS,
 * REPORT_MIN_IDENTITY_MESSAGES) and where it last connected from.
 */
export interface IdentityStanding {
  userId: string;
  /** Its first handshake, epoch ms. */
  firstSeen: number;
  /** Messages it sent (chats, rooms, DMs), counted up to a small cap. */
  messages: number;
  /** Keyed hash of the address of its latest connection. */
  lastIpHash: string | null;
  /** When the record last changed. */
  updatedAt: number;
}

/** What enforcement needs on every node: the bans and suspensions in force. */
export interface Enforced {
  bans: BanRecord[];
  /** User ids suspended until an operator reviews their reports. */
  suspended: string[];
}

/** The reports waiting for an operator's review. */
export interface ReportQueue {
  open: number;
  /** createdAt of the oldest open report, epoch ms; null when none is open. */
  oldestAt: number | null;
}

export interface ModerationStore {
  /**
   * Stores a report, with the still frame the reporter attached (JPEG bytes)
   * if any: the record read back has `frame: true` exactly when one was
   * stored. An open report by the same reporter against the same identity is
   * returned instead (and the frame is not kept).
   */
  addReport(report: ReportRecord, frame?: Uint8Array): Promise<{ created: boolean; id: string }>;
  getReport(id: string): Promise<ReportRecord | null>;
  /** How many reports wait for review, and when the oldest of them came (null: none waits). */
  reportQueue(): Promise<ReportQueue>;
  /** The JPEG bytes of a report's frame; null when the report has none or is gone. */
  reportFrame(id: string): Promise<Buffer | null>;
  /** Oldest first, at most `limit`. */
  listReports(status: 'open' | 'closed', limit: number): Promise<ReportRecord[]>;
  /** Every report against the identity, newest first, at most `limit`. */
  reportsAgainst(targetId: string, limit: number): Promise<ReportRecord[]>;
  /** Closes open reports: the one given, or with `allOfTarget` every open report against its target. */
  closeReports(id: string, resolution: NonNullable<ReportRecord['resolution']>, allOfTarget: boolean): Promise<number>;
  suspend(userId: string, at: number): Promise<void>;
  /** Ends a suspension; false when there was none. */
  unsuspend(userId: string): Promise<boolean>;
  addBan(ban: BanRecord): Promise<void>;
  /** Lifts a ban in force; false when there is none with that id. */
  liftBan(id: string, at: number): Promise<boolean>;
  /** Bans in force at `now` (not lifted, not over). */
  activeBans(now: number): Promise<BanRecord[]>;
  bansOf(subjects: readonly string[]): Promise<BanRecord[]>;
  /** The bans and suspensions in force. */
  enforced(now: number): Promise<Enforced>;
  audit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  auditLog(limit: number): Promise<AuditEntry[]>;
  /** Deletes reports (with their evidence and frames) created before `before` (REPORT_RETENTION_DAYS); returns how many. */
  purgeReports(before: number): Promise<number>;
  /** A handshake of the identity from that address: records it (first seen now) or updates its address. */
  noteIdentity(userId: string, ipHash: string, now: number): Promise<void>;
  /** The identity sent `count` messages: adds them to its count, which stops at `cap`. */
  noteMessages(userId: string, count: number, cap: number, now: number): Promise<void>;
  /** The standing of each identity known; unknown ones are left out. */
  standings(userIds: readonly string[]): Promise<IdentityStanding[]>;
  /** Deletes standings unchanged since `before` (REPORT_RETENTION_DAYS); returns how many. */
  purgeStandings(before: number): Promise<number>;
  /** delete-identity: reports the identity filed lose its id (becoming `deleted:<report id>`; they are about someone else) and its standing goes; reports against it stay. */
  forgetReporter(userId: string): Promise<void>;
}
