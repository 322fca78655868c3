/** Moderation records in PostgreSQL. Every query is named and parameterised. */
import type { Pool } from 'pg';
import type { AuditEntry, BanRecord, Enforced, IdentityStanding, ModerationStore, ReportQueue, ReportRecord } from '../moderation-store';
import { guarded } from './transaction';

const REPORT_COLUMNS = `id, reporter_id, target_id, kind, context, reason, note, evidence, target_ip_hash, created_at, status, resolution, reporter_ip_hash`;
/** A report as read: whether it has a frame, never the frame's bytes. */
const REPORT_READ = `${REPORT_COLUMNS}, frame IS NOT NULL AS has_frame`;
const BAN_COLUMNS = `id, kind, subject, until, reason, report_id, created_at, lifted_at, address_hash`;
const STANDING_COLUMNS = `user_id, first_seen, messages, last_ip_hash, updated_at`;

const QUERIES = {
  insertReport: `INSERT INTO reports (${REPORT_COLUMNS}, frame) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    ON CONFLICT (reporter_id, target_id) WHERE status = 'open' DO NOTHING`,
  openReportOf: `SELECT id FROM reports WHERE reporter_id = $1 AND target_id = $2 AND status = 'open'`,
  getReport: `SELECT ${REPORT_READ} FROM reports WHERE id = $1`,
  reportQueue: `SELECT count(*) AS open, min(created_at) AS oldest_at FROM reports WHERE status = 'open'`,
  reportFrame: `SELECT frame FROM reports WHERE id = $1 AND frame IS NOT NULL`,
  listReports: `SELECT ${REPORT_READ} FROM reports WHERE status = $1 ORDER BY created_at, id LIMIT $2`,
  reportsAgainst: `SELECT ${REPORT_READ} FROM reports WHERE target_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
  closeReport: `UPDATE reports SET status = 'closed', resolution = $2 WHERE id = $1 AND status = 'open'`,
  closeReportsOfTarget: `UPDATE reports SET status = 'closed', resolution = $2
    WHERE status = 'open' AND target_id = (SELECT target_id FROM reports WHERE id = $1)`,
  suspend: `INSERT INTO suspensions (user_id, since) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`,
  unsuspend: `DELETE FROM suspensions WHERE user_id = $1`,
  suspended: `SELECT user_id FROM suspensions`,
  insertBan: `INSERT INTO bans (${BAN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  liftBan: `UPDATE bans SET lifted_at = $2 WHERE id = $1 AND lifted_at IS NULL`,
  activeBans: `SELECT ${BAN_COLUMNS} FROM bans WHERE lifted_at IS NULL AND (until IS NULL OR until > $1) ORDER BY created_at DESC, id`,
  bansOf: `SELECT ${BAN_COLUMNS} FROM bans WHERE subject = ANY($1::text[]) ORDER BY created_at DESC, id`,
  insertAudit: `INSERT INTO audit_log (at, action, detail, actor) VALUES ($1, $2, $3, $4)`,
  auditLog: `SELECT at, action, detail, actor FROM audit_log ORDER BY n DESC LIMIT $1`,
  purgeReports: `DELETE FROM reports WHERE created_at < $1`,
  // Each forgotten reporter stays distinct (and the one-open-report rule holds).
  forgetReporter: `UPDATE reports SET reporter_id = 'deleted:' || id, reporter_ip_hash = NULL WHERE reporter_id = $1`,
  forgetStanding: `DELETE FROM identity_standings WHERE user_id = $1`,
  noteIdentity: `INSERT INTO identity_standings (${STANDING_COLUMNS}) VALUES ($1, $3, 0, $2, $3)
    ON CONFLICT (user_id) DO UPDATE SET last_ip_hash = EXCLUDED.last_ip_hash, updated_at = EXCLUDED.updated_at`,
  noteMessages: `INSERT INTO identity_standings (${STANDING_COLUMNS}) VALUES ($1, $4, least($2::integer, $3::integer), NULL, $4)
    ON CONFLICT (user_id) DO UPDATE SET messages = least(identity_standings.messages + $2::integer, $3::integer), updated_at = EXCLUDED.updated_at`,
  standings: `SELECT ${STANDING_COLUMNS} FROM identity_standings WHERE user_id = ANY($1::text[])`,
  purgeStandings: `DELETE FROM identity_standings WHERE updated_at < $1`,
} as const;

type Name = keyof typeof QUERIES;
const named = (name: Name, values: unknown[]) => ({ name: `parley-${name}`, text: QUERIES[name], values });

interface ReportRow {
  id: string;
  reporter_id: string;
  target_id: string;
  kind: ReportRecord['kind'];
  context: ReportRecord['context'];
  reason: ReportRecord['reason'];
  note: string | null;
  evidence: ReportRecord['evidence'];
  target_ip_hash: string | null;
  created_at: string;
  status: ReportRecord['status'];
  resolution: ReportRecord['resolution'];
  reporter_ip_hash: string | null;
  has_frame: boolean;
}

interface StandingRow {
  user_id: string;
  first_seen: string;
  messages: number;
  last_ip_hash: string | null;
  updated_at: string;
}

interface BanRow {
  id: string;
  kind: BanRecord['kind'];
  subject: string;
  until: string | null;
  reason: string;
  report_id: string | null;
  created_at: string;
  lifted_at: string | null;
  address_hash: string | null;
}

const toReport = (r: ReportRow): ReportRecord => ({
  id: r.id,
  reporterId: r.reporter_id,
  reporterIpHash: r.reporter_ip_hash,
  targetId: r.target_id,
  kind: r.kind,
  context: r.context,
  reason: r.reason,
  note: r.note,
  evidence: r.evidence,
  targetIpHash: r.target_ip_hash,
  createdAt: Number(r.created_at),
  status: r.status,
  resolution: r.resolution,
  ...(r.has_frame ? { frame: true as const } : {}),
});

const toBan = (b: BanRow): BanRecord => ({
  id: b.id,
  kind: b.kind,
  subject: b.subject,
  until: b.until === null ? null : Number(b.until),
  reason: b.reason,
  reportId: b.report_id,
  createdAt: Number(b.created_at),
  liftedAt: b.lifted_at === null ? null : Number(b.lifted_at),
  addressHash: b.address_hash,
});

const toStanding = (r: StandingRow): IdentityStanding => ({
  userId: r.user_id,
  firstSeen: Number(r.first_seen),
  messages: r.messages,
  lastIpHash: r.last_ip_hash,
  updatedAt: Number(r.updated_at),
});

/** The node's moderation store: an outage answers UNAVAILABLE (retry), not INTERNAL. */
export function createPostgresModerationStore(pool: Pool): ModerationStore {
  return guarded(new PostgresModerationStore(pool));
}

export class PostgresModerationStore implements ModerationStore {
  constructor(private readonly pool: Pool) {}

  async addReport(r: ReportRecord, frame?: Uint8Array): Promise<{ created: boolean; id: string }> {
    const values = [r.id, r.reporterId, r.targetId, r.kind, JSON.stringify(r.context), r.reason, r.note, JSON.stringify(r.evidence), r.targetIpHash, r.createdAt, r.status, r.resolution === null ? null : JSON.stringify(r.resolution), r.reporterIpHash, frame ? Buffer.from(frame) : null];
    const { rowCount } = await this.pool.query(named('insertReport', values));
    if (rowCount === 1) return { created: true, id: r.id };
    const { rows } = await this.pool.query<{ id: string }>(named('openReportOf', [r.reporterId, r.targetId]));
    return { created: false, id: rows[0]?.id ?? r.id };
  }

  async getReport(id: string): Promise<ReportRecord | null> {
    const { rows } = await this.pool.query<ReportRow>(named('getReport', [id]));
    return rows[0] ? toReport(rows[0]) : null;
  }

  async reportQueue(): Promise<ReportQueue> {
    const [row] = (await this.pool.query<{ open: string; oldest_at: string | null }>(named('reportQueue', []))).rows;
    return { open: Number(row!.open), oldestAt: row!.oldest_at === null ? null : Number(row!.oldest_at) };
  }

  async reportFrame(id: string): Promise<Buffer | null> {
    const { rows } = await this.pool.query<{ frame: Buffer }>(named('reportFrame', [id]));
    return rows[0]?.frame ?? null;
  }

  async listReports(status: 'open' | 'closed', limit: number): Promise<ReportRecord[]> {
    return (await this.pool.query<ReportRow>(named('listReports', [status, limit]))).rows.map(toReport);
  }

  async reportsAgainst(targetId: string, limit: number): Promise<ReportRecord[]> {
    return (await this.pool.query<ReportRow>(named('reportsAgainst', [targetId, limit]))).rows.map(toReport);
  }

  async closeReports(id: string, resolution: NonNullable<ReportRecord['resolution']>, allOfTarget: boolean): Promise<number> {
    const { rowCount } = await this.pool.query(named(allOfTarget ? 'closeReportsOfTarget' : 'closeReport', [id, JSON.stringify(resolution)]));
    return rowCount ?? 0;
  }

  async suspend(userId: string, at: number): Promise<void> {
    await this.pool.query(named('suspend', [userId, at]));
  }

  async unsuspend(userId: string): Promise<boolean> {
    return ((await this.pool.query(named('unsuspend', [userId]))).rowCount ?? 0) === 1;
  }

  async addBan(b: BanRecord): Promise<void> {
    await this.pool.query(named('insertBan', [b.id, b.kind, b.subject, b.until, b.reason, b.reportId, b.createdAt, b.liftedAt, b.addressHash]));
  }

  async liftBan(id: string, at: number): Promise<boolean> {
    return ((await this.pool.query(named('liftBan', [id, at]))).rowCount ?? 0) === 1;
  }

  async activeBans(now: number): Promise<BanRecord[]> {
    return (await this.pool.query<BanRow>(named('activeBans', [now]))).rows.map(toBan);
  }

  async bansOf(subjects: readonly string[]): Promise<BanRecord[]> {
    return (await this.pool.query<BanRow>(named('bansOf', [subjects]))).rows.map(toBan);
  }

  async enforced(now: number): Promise<Enforced> {
    const [bans, suspended] = await Promise.all([
      this.activeBans(now),
      this.pool.query<{ user_id: string }>(named('suspended', [])),
    ]);
    return { bans, suspended: suspended.rows.map((r) => r.user_id) };
  }

  async audit(e: AuditEntry): Promise<void> {
    await this.pool.query(named('insertAudit', [e.at, e.action, JSON.stringify(e.detail), e.actor]));
  }

  async auditLog(limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<{ at: string; action: string; detail: Record<string, unknown>; actor: string }>(named('auditLog', [limit]));
    return rows.map((r) => ({ at: Number(r.at), action: r.action, detail: r.detail, actor: r.actor }));
  }

  async purgeReports(before: number): Promise<number> {
    return (await this.pool.query(named('purgeReports', [before]))).rowCount ?? 0;
  }

  async noteIdentity(userId: string, ipHash: string, now: number): Promise<void> {
    await this.pool.query(named('noteIdentity', [userId, ipHash, now]));
  }

  async noteMessages(userId: string, count: number, cap: number, now: number): Promise<void> {
    await this.pool.query(named('noteMessages', [userId, count, cap, now]));
  }

  async standings(userIds: readonly string[]): Promise<IdentityStanding[]> {
    return (await this.pool.query<StandingRow>(named('standings', [userIds]))).rows.map(toStanding);
  }

  async purgeStandings(before: number): Promise<number> {
    return (await this.pool.query(named('purgeStandings', [before]))).rowCount ?? 0;
  }

  async forgetReporter(userId: string): Promise<void> {
    await this.pool.query(named('forgetReporter', [userId]));
    await this.pool.query(named('forgetStanding', [userId]));
  }
}
