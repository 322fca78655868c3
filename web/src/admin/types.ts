/** The operator API's JSON, as the console reads it (see src/http/admin/router.ts). */
import type { RoomInfo } from '../../../src/realtime/protocol';
import type { AuditEntry, BanRecord, EvidenceMessage, ReportRecord } from '../../../src/store/moderation-store';

export type { AuditEntry, BanRecord, EvidenceMessage, ReportRecord };

/** GET /api/admin/rooms: every room with its open reports (src/moderation/admin-service.ts). */
export interface RoomRow extends RoomInfo {
  reports: number;
}

/** GET /api/admin/reports: open reports grouped by reported identity (src/moderation/admin-service.ts). */
export interface ReportGroup {
  targetId: string;
  reporterCount: number;
  /** Distinct addresses the reports came from. */
  reporterAddresses: number;
  /** Some reporters share an address: perhaps one person. */
  sharedAddress: boolean;
  /** Reporters that count towards an automatic suspension (established, one per address). */
  independentReporters: number;
  suspended: boolean;
  reports: ReportRecord[];
  earlierReports: ReportRecord[];
  bans: BanRecord[];
}

/** POST /api/admin/reports/:id/resolve. */
export type Resolution = { action: 'dismiss' } | { action: 'ban'; durationMs?: number; banIp?: boolean };
