/**
 * What operators do: read the queue of open reports grouped by reported
 * identity (oldest first) with the evidence and that identity's earlier
 * reports and bans; dismiss; ban the identity (and its address) for a while
 * or for good; lift bans; delete a room message; list rooms with their open
 * reports and remove a room. Every action lands in the audit log. Plain code: the HTTP routes in src/http/admin call it.
 */
import { ClientError } from '../errors';
import type { Clock } from '../clock';
import type { ReportGroup, Resolution, RoomHistoryPage, RoomInfo, RoomRow } from '../protocol';
import type { AuditEntry, BanRecord, ModerationStore, ReportRecord } from '../store/moderation-store';
import type { Enforcement } from './enforcement';
import { judgeReporters, type IndependencePolicy } from './independence';

/** Reports the queue reads at most. */
export const QUEUE_LIMIT = 500;
/** Earlier reports shown per reported identity. */
const HISTORY_LIMIT = 20;

/** What the console needs of rooms (the room service). */
export interface AdminRooms {
  listAll(): Promise<RoomInfo[]>;
  info(code: string): Promise<RoomInfo | null>;
  /** Removes the room (its members are told); false when there is no such room. */
  remove(code: string): Promise<boolean>;
}

/** Report groups about a whole room are keyed `room:<code>`. */
export const ROOM_TARGET = 'room:';

export interface AdminServiceDeps {
  store: ModerationStore;
  clock: Clock;
  newId: () => string;
  enforcement: Enforcement;
  /** A ban was stored. */
  onBanned?: (ban: BanRecord) => void;
  /** What makes a reporter count (REPORT_MIN_IDENTITY_AGE_MS, REPORT_MIN_IDENTITY_MESSAGES). */
  policy: IndependencePolicy;
  /** Deletes a room message as an operator; false when there is no such message. */
  deleteRoomMessage: (code: string, seq: number) => Promise<boolean>;
  rooms: AdminRooms;
  /** A page of any room's history (private ones too); null when the room is unknown. */
  roomHistory: (code: string, before: number | undefined, limit: number) => Promise<RoomHistoryPage | null>;
}

export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  private audit(actor: string, action: string, detail: AuditEntry['detail']): Promise<void> {
    return this.deps.store.audit({ at: this.deps.clock.now(), action, detail, actor });
  }

  async queue(status: 'open' | 'closed'): Promise<ReportGroup[]> {
    const reports = await this.deps.store.listReports(status, QUEUE_LIMIT);
    const byTarget = new Map<string, ReportRecord[]>();
    for (const r of reports) byTarget.set(r.targetId, [...(byTarget.get(r.targetId) ?? []), r]);
    return Promise.all([...byTarget.entries()].map(([targetId, list]) => this.group(targetId, list)));
  }

  private async group(targetId: string, reports: ReportRecord[]): Promise<ReportGroup> {
    const { store, enforcement } = this.deps;
    const ids = new Set(reports.map((r) => r.id));
    const all = await store.reportsAgainst(targetId, HISTORY_LIMIT + reports.length);
    const hashes = [...new Set(all.map((r) => r.targetIpHash).filter((h): h is string => h !== null))];
    const standings = await store.standings([...new Set(reports.map((r) => r.reporterId))]);
    const judged = judgeReporters(reports, standings, this.deps.policy);
    return {
      targetId,
      reporterCount: judged.reporters,
      reporterAddresses: judged.addresses,
      sharedAddress: judged.people < judged.reporters,
      independentReporters: judged.independent,
      suspended: enforcement.isSuspended(targetId),
      reports,
      earlierReports: all.filter((r) => !ids.has(r.id) && r.status === 'closed').slice(0, HISTORY_LIMIT),
      bans: await store.bansOf([targetId, ...hashes]),
    };
  }

  /** One report with its group; null when unknown. */
  async report(id: string): Promise<{ report: ReportRecord; group: ReportGroup } | null> {
    const report = await this.deps.store.getReport(id);
    if (!report) return null;
    const open = report.status === 'open' ? (await this.deps.store.reportsAgainst(report.targetId, QUEUE_LIMIT)).filter((r) => r.status === 'open') : [report];
    return { report, group: await this.group(report.targetId, open) };
  }

  /** The still frame the reporter attached to a report (JPEG bytes), audited; null when there is none. */
  async reportFrame(id: string, actor: string): Promise<Buffer | null> {
    const frame = await this.deps.store.reportFrame(id);
    if (frame) await this.audit(actor, 'report.view-frame', { reportId: id });
    return frame;
  }

  async resolve(id: string, resolution: Resolution, actor: string): Promise<{ report: ReportRecord; bans: BanRecord[] }> {
    const { store, clock, enforcement } = this.deps;
    const report = await store.getReport(id);
    if (!report) throw new ClientError('NOT_ALLOWED', 'There is no report with that id.');
    if (report.status !== 'open') throw new ClientError('NOT_ALLOWED', 'That report is already closed.');
    if (resolution.action === 'ban' && report.targetId.startsWith(ROOM_TARGET)) {
      throw new ClientError('NOT_ALLOWED', 'A room cannot be banned: remove it under Rooms, or dismiss the report.');
    }
    const now = clock.now();
    const bans: BanRecord[] = [];
    if (resolution.action === 'ban') {
      const until = resolution.durationMs === undefined ? null : now + resolution.durationMs;
      // The banned identity's latest address (else the one it was reported at) is marked too.
      const [standing] = await store.standings([report.targetId]);
      const ban = (kind: BanRecord['kind'], subject: string): BanRecord => ({
        id: this.deps.newId(),
        kind,
        subject,
        until,
        reason: report.reason,
        reportId: report.id,
        createdAt: now,
        liftedAt: null,
        addressHash: kind === 'identity' ? (standing?.lastIpHash ?? report.targetIpHash) : null,
      });
      bans.push(ban('identity', report.targetId));
      if (resolution.banIp) {
        if (!report.targetIpHash) throw new ClientError('NOT_ALLOWED', 'The reported user was not connected when reported: there is no address to ban.');
        bans.push(ban('ip', report.targetIpHash));
      }
      for (const b of bans) {
        await store.addBan(b);
        this.deps.onBanned?.(b);
      }
      await store.closeReports(id, { action: 'ban', at: now, banId: bans[0]!.id }, true);
    } else {
      await store.closeReports(id, { action: 'dismiss', at: now }, false);
    }
    // Reviewed: a suspension ends (a ban supersedes it).
    await store.unsuspend(report.targetId);
    enforcement.noteUnsuspended(report.targetId);
    for (const b of bans) await enforcement.noteBan(b);
    await this.audit(actor, `report.${resolution.action}`, {
      reportId: id,
      targetId: report.targetId,
      ...(bans.length > 0 ? { bans: bans.map((b) => ({ id: b.id, kind: b.kind, until: b.until })) } : {}),
    });
    return { report: (await store.getReport(id))!, bans };
  }

  async bans(): Promise<BanRecord[]> {
    return this.deps.store.activeBans(this.deps.clock.now());
  }

  async liftBan(id: string, actor: string): Promise<boolean> {
    const lifted = await this.deps.store.liftBan(id, this.deps.clock.now());
    if (lifted) {
      await this.audit(actor, 'ban.lift', { banId: id });
      await this.deps.enforcement.refresh();
    }
    return lifted;
  }

  async deleteRoomMessage(code: string, seq: number, actor: string): Promise<boolean> {
    const deleted = await this.deps.deleteRoomMessage(code, seq);
    if (deleted) await this.audit(actor, 'room.delete-message', { code, seq });
    return deleted;
  }

  /** An operator reads a room's history (a private room's is audited: only its members read it otherwise). */
  async roomHistory(code: string, before: number | undefined, limit: number, actor: string): Promise<RoomHistoryPage | null> {
    const page = await this.deps.roomHistory(code, before, limit);
    if (page) await this.audit(actor, 'room.read-history', { code, ...(before !== undefined ? { before } : {}), limit });
    return page;
  }

  /** Every room, most open reports first, then as the public list orders them. */
  async rooms(): Promise<RoomRow[]> {
    const [rooms, open] = await Promise.all([this.deps.rooms.listAll(), this.deps.store.listReports('open', QUEUE_LIMIT)]);
    const reports = new Map<string, number>();
    for (const r of open) {
      const code = r.kind === 'room' ? r.context.code : undefined;
      if (typeof code === 'string') reports.set(code, (reports.get(code) ?? 0) + 1);
    }
    const rows = rooms.map((room) => ({ ...room, reports: reports.get(room.code) ?? 0 }));
    return rows.map((row, i) => ({ row, i })).sort((a, b) => b.row.reports - a.row.reports || a.i - b.i).map(({ row }) => row);
  }

  /** Removes a room; its open whole-room reports are closed as dealt with. False when there is no such room. */
  async removeRoom(code: string, actor: string): Promise<boolean> {
    const room = await this.deps.rooms.info(code);
    if (!room || !(await this.deps.rooms.remove(code))) return false;
    const now = this.deps.clock.now();
    const [report] = (await this.deps.store.reportsAgainst(`${ROOM_TARGET}${code}`, QUEUE_LIMIT)).filter((r) => r.status === 'open');
    if (report) await this.deps.store.closeReports(report.id, { action: 'dismiss', at: now }, true);
    await this.audit(actor, 'room.remove', { code, title: room.title, visibility: room.visibility, members: room.members });
    return true;
  }

  auditLog(limit: number): Promise<AuditEntry[]> {
    return this.deps.store.auditLog(limit);
  }
}
