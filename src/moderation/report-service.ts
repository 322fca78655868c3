/**
 * Reporting: who is reported and the evidence come from the server's own
 * records (an EvidenceSource), never from the reporter; one open report per
 * reporter and reported identity; enough distinct reporters within an hour
 * suspend the reported identity until an operator reviews it. Plain code.
 */
import { ClientError } from '../errors';
import type { Clock } from '../matchmaking/ports';
import type { ReportPayload, ReportTarget } from '../realtime/protocol';
import type { ModerationStore } from '../store/moderation-store';
import type { EvidenceSource, Found, ModerationPolicy } from './ports';

/** Distinct reporters are counted over this window. */
export const SUSPEND_WINDOW_MS = 3_600_000;

export interface ReportServiceDeps {
  store: ModerationStore;
  clock: Clock;
  newId: () => string;
  evidence: EvidenceSource;
  /** Keyed hash of the reported identity's address while it is connected, else null. */
  addressOf: (userId: string) => Promise<string | null>;
  /** After a report is stored (a chat report blocks the partner for the reporter). */
  afterReport?: (reporterId: string, target: ReportTarget, found: Found) => Promise<void>;
  /** A user was just suspended. */
  onSuspended?: (userId: string) => void;
}

export class ReportService {
  constructor(
    private readonly deps: ReportServiceDeps,
    private readonly policy: ModerationPolicy,
  ) {}

  /** delete-identity: the reports this identity filed no longer name it (reports against it stay). */
  forgetReporter(userId: string): Promise<void> {
    return this.deps.store.forgetReporter(userId);
  }

  async report(reporterId: string, payload: ReportPayload): Promise<{ reportId: string }> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const found = await this.deps.evidence(reporterId, payload.target, now);
    if (!found) throw new ClientError('NOT_ALLOWED', 'There is nothing to report there (a chat can be reported for a few minutes after it ends).');
    if (found.targetId === reporterId) throw new ClientError('NOT_ALLOWED', 'You cannot report yourself.');
    const { created, id } = await store.addReport({
      id: this.deps.newId(),
      reporterId,
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
    });
    if (created && !found.room && (await store.distinctReporters(found.targetId, now - SUSPEND_WINDOW_MS)) >= this.policy.reportSuspendThreshold) {
      await store.suspend(found.targetId, now);
      this.deps.onSuspended?.(found.targetId);
    }
    await this.deps.afterReport?.(reporterId, payload.target, found);
    return { reportId: id };
  }
}
