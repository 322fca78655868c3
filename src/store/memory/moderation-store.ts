/** Moderation records of the single node, in memory (lost with the process, like the rest of its state). */
import type { AuditEntry, BanRecord, Enforced, IdentityStanding, ModerationStore, ReportQueue, ReportRecord } from '../moderation-store';

/** The audit log keeps this many entries in memory. */
const AUDIT_KEPT = 10_000;

const copy = <T>(value: T): T => structuredClone(value);
/** Deletes the entries `old` picks; returns how many. */
function purge<T>(map: Map<string, T>, old: (value: T) => boolean): number {
  let purged = 0;
  for (const [key, value] of map) {
    if (old(value)) {
      map.delete(key);
      purged++;
    }
  }
  return purged;
}
const inForce = (ban: BanRecord, now: number) => ban.liftedAt === null && (ban.until === null || ban.until > now);

export class MemoryModerationStore implements ModerationStore {
  private readonly reports = new Map<string, ReportRecord>();
  /** The frames reporters attached, by report id (deleted with their report). */
  private readonly frames = new Map<string, Buffer>();
  private readonly suspensions = new Map<string, number>();
  private readonly bans = new Map<string, BanRecord>();
  private readonly identities = new Map<string, IdentityStanding>();
  private log: AuditEntry[] = [];

  async addReport(report: ReportRecord, frame?: Uint8Array): Promise<{ created: boolean; id: string }> {
    for (const r of this.reports.values()) {
      if (r.status === 'open' && r.reporterId === report.reporterId && r.targetId === report.targetId) return { created: false, id: r.id };
    }
    const { frame: _claimed, ...record } = copy(report);
    this.reports.set(report.id, frame ? { ...record, frame: true } : record);
    if (frame) this.frames.set(report.id, Buffer.from(frame));
    return { created: true, id: report.id };
  }

  async getReport(id: string): Promise<ReportRecord | null> {
    const r = this.reports.get(id);
    return r ? copy(r) : null;
  }

  async reportQueue(): Promise<ReportQueue> {
    let open = 0;
    let oldestAt: number | null = null;
    for (const r of this.reports.values()) {
      if (r.status !== 'open') continue;
      open++;
      if (oldestAt === null || r.createdAt < oldestAt) oldestAt = r.createdAt;
    }
    return { open, oldestAt };
  }

  async reportFrame(id: string): Promise<Buffer | null> {
    const frame = this.reports.has(id) ? this.frames.get(id) : undefined;
    return frame ? Buffer.from(frame) : null;
  }

  async listReports(status: 'open' | 'closed', limit: number): Promise<ReportRecord[]> {
    return [...this.reports.values()]
      .filter((r) => r.status === status)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map(copy);
  }

  async reportsAgainst(targetId: string, limit: number): Promise<ReportRecord[]> {
    return [...this.reports.values()]
      .filter((r) => r.targetId === targetId)
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
      .slice(0, limit)
      .map(copy);
  }

  async closeReports(id: string, resolution: NonNullable<ReportRecord['resolution']>, allOfTarget: boolean): Promise<number> {
    const report = this.reports.get(id);
    if (!report) return 0;
    let closed = 0;
    for (const r of this.reports.values()) {
      const chosen = allOfTarget ? r.targetId === report.targetId : r.id === id;
      if (chosen && r.status === 'open') {
        r.status = 'closed';
        r.resolution = { ...resolution };
        closed++;
      }
    }
    return closed;
  }

  async suspend(userId: string, at: number): Promise<void> {
    if (!this.suspensions.has(userId)) this.suspensions.set(userId, at);
  }

  async unsuspend(userId: string): Promise<boolean> {
    return this.suspensions.delete(userId);
  }

  async addBan(ban: BanRecord): Promise<void> {
    this.bans.set(ban.id, copy(ban));
  }

  async liftBan(id: string, at: number): Promise<boolean> {
    const ban = this.bans.get(id);
    if (!ban || ban.liftedAt !== null) return false;
    ban.liftedAt = at;
    return true;
  }

  async activeBans(now: number): Promise<BanRecord[]> {
    return [...this.bans.values()].filter((b) => inForce(b, now)).sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id)).map(copy);
  }

  async bansOf(subjects: readonly string[]): Promise<BanRecord[]> {
    const wanted = new Set(subjects);
    return [...this.bans.values()].filter((b) => wanted.has(b.subject)).sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id)).map(copy);
  }

  async enforced(now: number): Promise<Enforced> {
    return { bans: await this.activeBans(now), suspended: [...this.suspensions.keys()] };
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.log.push(copy(entry));
    if (this.log.length > AUDIT_KEPT) this.log = this.log.slice(-AUDIT_KEPT);
  }

  async auditLog(limit: number): Promise<AuditEntry[]> {
    return this.log.slice(-limit).reverse().map(copy);
  }

  async purgeReports(before: number): Promise<number> {
    const purged = purge(this.reports, (r) => r.createdAt < before);
    for (const id of this.frames.keys()) if (!this.reports.has(id)) this.frames.delete(id);
    return purged;
  }

  async noteIdentity(userId: string, ipHash: string, now: number): Promise<void> {
    const known = this.identities.get(userId);
    if (known) Object.assign(known, { lastIpHash: ipHash, updatedAt: now });
    else this.identities.set(userId, { userId, firstSeen: now, messages: 0, lastIpHash: ipHash, updatedAt: now });
  }

  async noteMessages(userId: string, count: number, cap: number, now: number): Promise<void> {
    const known = this.identities.get(userId) ?? { userId, firstSeen: now, messages: 0, lastIpHash: null, updatedAt: now };
    this.identities.set(userId, { ...known, messages: Math.min(known.messages + count, cap), updatedAt: now });
  }

  async standings(userIds: readonly string[]): Promise<IdentityStanding[]> {
    return userIds.flatMap((id) => {
      const known = this.identities.get(id);
      return known ? [copy(known)] : [];
    });
  }

  async purgeStandings(before: number): Promise<number> {
    return purge(this.identities, (s) => s.updatedAt < before);
  }

  async forgetReporter(userId: string): Promise<void> {
    // Each forgotten reporter stays distinct (and the one-open-report rule holds).
    for (const r of this.reports.values()) if (r.reporterId === userId) Object.assign(r, { reporterId: `deleted:${r.id}`, reporterIpHash: null });
    this.identities.delete(userId);
  }
}
