/**
 * Reporting: who is reported and the evidence come from the server's own
 * records (an EvidenceSource), never from the reporter; one open report per
 * reporter and reported identity; each address may file REPORT_ADDRESS_LIMIT
 * reports per REPORT_ADDRESS_WINDOW_MS. Enough *independent* reporters within
 * an hour (independence.ts: established identities, one per address) suspend
 * the reported identity until an operator reviews it; a suspension whose
 * reporters later turn out not to be independent is lifted by `review()`.
 * The standing of identities (first seen, messages sent, latest address) is
 * recorded here too. A chat report may carry a still frame of the partner's
 * video (report-frame.ts), kept with the report as the reporter's own claim.
 * Plain code.
 */
import { ClientError } from '../errors';
import type { Clock } from '../clock';
import type { ReportPayload, ReportTarget } from '../protocol';
import type { ModerationStore, ReportRecord } from '../store/moderation-store';
import { frameBytes } from './report-frame';
import { judgeReporters, type Independence, type IndependencePolicy } from './independence';
import type { EvidenceSource, Found, ModerationPolicy } from './ports';

/** Distinct reporters are counted over this window. */
export const SUSPEND_WINDOW_MS = 3_600_000;
/** Reports against one identity read when judging its reporters. */
const REPORTS_JUDGED = 500;
/** Identities whose standing this node remembers having written (a bound on its memory). */
const REMEMBERED = 100_000;

export interface Reporter {
  userId: string;
  /** Keyed hash of the address it reports from. */
  ipHash: string;
}

export interface ReportServiceDeps {
  store: ModerationStore;
  clock: Clock;
  newId: () => string;
  evidence: EvidenceSource;
  /** Keyed hash of the reported identity's address while it is connected, else null. */
  addressOf: (userId: string) => Promise<string | null>;
  /** Spends one report of the address's budget (REPORT_ADDRESS_LIMIT); throws RATE_LIMITED when spent. */
  spendAddress: (ipHash: string) => Promise<void>;
  /** After a report is stored (a chat report blocks the partner for the reporter). */
  afterReport?: (reporterId: string, target: ReportTarget, found: Found) => Promise<void>;
  /** A report was stored (not one answered with the reporter's open report). */
  onReported?: (report: ReportRecord) => void;
  /** A user was just suspended. */
  onSuspended?: (userId: string) => void;
  /** A user's automatic suspension was lifted. */
  onUnsuspended?: (userId: string) => void;
  onError?: (err: unknown) => void;
}

export type ReportPolicy = ModerationPolicy & IndependencePolicy;

export class ReportService {
  /** Identities whose latest address this node wrote, and the address. */
  private readonly seen = new Map<string, string>();
  /** Messages of each identity this node has counted (up to the cap). */
  private readonly counted = new Map<string, number>();

  constructor(
    private readonly deps: ReportServiceDeps,
    private readonly policy: ReportPolicy,
  ) {}

  /** delete-identity: the reports this identity filed no longer name it (reports against it stay). */
  forgetReporter(userId: string): Promise<void> {
    this.seen.delete(userId);
    this.counted.delete(userId);
    return this.deps.store.forgetReporter(userId);
  }

  /** A connection of the identity was admitted from that address: its standing starts or moves. */
  async connected(userId: string, ipHash: string): Promise<void> {
    if (this.seen.get(userId) === ipHash) return;
    if (this.seen.size >= REMEMBERED) this.seen.clear();
    this.seen.set(userId, ipHash);
    await this.deps.store.noteIdentity(userId, ipHash, this.deps.clock.now()).catch((err: unknown) => {
      this.seen.delete(userId);
      this.deps.onError?.(err);
    });
  }

  /** The identity sent a message (chat, room, DM): counted until it is established. */
  async sent(userId: string): Promise<void> {
    const cap = this.policy.reportMinIdentityMessages;
    const counted = this.counted.get(userId) ?? 0;
    // This node writes at most `cap` times per identity; the store's count stops at the cap.
    if (counted >= cap) return;
    if (this.counted.size >= REMEMBERED) this.counted.clear();
    this.counted.set(userId, counted + 1);
    await this.deps.store.noteMessages(userId, 1, cap, this.deps.clock.now()).catch((err: unknown) => this.deps.onError?.(err));
  }

  async report(reporter: Reporter, payload: ReportPayload): Promise<{ reportId: string }> {
    const { store, clock } = this.deps;
    const reporterId = reporter.userId;
    await this.deps.spendAddress(reporter.ipHash);
    const now = clock.now();
    const found = await this.deps.evidence(reporterId, payload.target, now);
    if (!found) throw new ClientError('NOT_ALLOWED', 'There is nothing to report there (a chat can be reported for a few minutes after it ends).');
    if (found.targetId === reporterId) throw new ClientError('NOT_ALLOWED', 'You cannot report yourself.');
    const record: ReportRecord = {
      id: this.deps.newId(),
      reporterId,
      reporterIpHash: reporter.ipHash,
      targetId: found.targetId,
      // A whole room is stored as a room report without a seq (context { code, title, … }).
      kind: payload.target.kind === 'room-itself' ? 'room' : payload.target.kind,
      context: found.context,
      reason: payload.reason,
      note: payload.note?.trim() || null,
      evidence: found.evidence,
      targetIpHash: found.room ? null : await this.deps.addressOf(found.targetId),
      createdAt: now,
      status: 'open',
      resolution: null,
    };
    const { created, id } = await store.addReport(record, payload.frame === undefined ? undefined : frameBytes(payload.frame));
    if (created) this.deps.onReported?.(record);
    if (created && !found.room && (await this.judge(found.targetId, now - SUSPEND_WINDOW_MS)).independent >= this.policy.reportSuspendThreshold) {
      await store.suspend(found.targetId, now);
      this.deps.onSuspended?.(found.targetId);
    }
    await this.deps.afterReport?.(reporterId, payload.target, found);
    return { reportId: id };
  }

  /** How independent the reporters of the identity's open reports (since `since`) are. */
  async judge(targetId: string, since = 0): Promise<Independence> {
    const reports = (await this.deps.store.reportsAgainst(targetId, REPORTS_JUDGED)).filter((r) => r.status === 'open' && r.createdAt >= since);
    return this.judgeReports(reports);
  }

  /** The same for reports already read. */
  async judgeReports(reports: readonly ReportRecord[]): Promise<Independence> {
    const standings = await this.deps.store.standings([...new Set(reports.map((r) => r.reporterId))]);
    return judgeReporters(reports, standings, this.policy);
  }

  /**
   * Re-judges every suspension: one whose open reports no longer come from
   * enough independent reporters (some turned out to share an address, or
   * were deleted) is lifted and audited. Returns the users set free. Run
   * periodically by every node (lifting twice is harmless: only the node that
   * removed the suspension audits it).
   */
  async review(): Promise<string[]> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const lifted: string[] = [];
    for (const userId of (await store.enforced(now)).suspended) {
      const judged = await this.judge(userId);
      if (judged.independent >= this.policy.reportSuspendThreshold) continue;
      if (!(await store.unsuspend(userId))) continue;
      await store.audit({
        at: now,
        action: 'suspension.lift',
        detail: { targetId: userId, reason: 'reporters not independent', ...judged },
        actor: 'system',
      });
      this.deps.onUnsuspended?.(userId);
      lifted.push(userId);
    }
    return lifted;
  }
}
