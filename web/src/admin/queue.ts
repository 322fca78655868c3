/** The console's wording and ordering, without the DOM. */
import type { AuditEntry, Ban, EvidenceMessage, Report, ReportGroup, ReportReason } from '@parley/protocol';

const DAY_MS = 86_400_000;

/** The ban lengths an operator picks from; `null` is forever. */
export const DURATIONS: ReadonlyArray<{ label: string; ms: number | null }> = [
  { label: '1 day', ms: DAY_MS },
  { label: '7 days', ms: 7 * DAY_MS },
  { label: '30 days', ms: 30 * DAY_MS },
  { label: 'Forever', ms: null },
];

export const REASON_LABELS: Readonly<Record<ReportReason, string>> = {
  spam: 'Spam or scam',
  harassment: 'Harassment',
  sexual: 'Sexual content',
  'minor-safety': 'Minor safety',
  hate: 'Hate',
  other: 'Other',
};

export function reasonLabel(reason: string): string {
  return (REASON_LABELS as Record<string, string>)[reason] ?? reason;
}

/** When the group's oldest open report came in. */
export function oldestAt(group: ReportGroup): number {
  return group.reports.reduce((min, r) => Math.min(min, r.createdAt), Infinity);
}

/** Oldest waiting first; each group's reports oldest first. */
export function sortQueue(groups: readonly ReportGroup[]): ReportGroup[] {
  return [...groups]
    .map((g) => ({ ...g, reports: [...g.reports].sort((a, b) => a.createdAt - b.createdAt) }))
    .sort((a, b) => oldestAt(a) - oldestAt(b) || a.targetId.localeCompare(b.targetId));
}

/** How many open reports the queue holds. */
export function countOpen(groups: readonly ReportGroup[]): number {
  return groups.reduce((n, g) => n + g.reports.length, 0);
}

/** The first characters of a long id, for display (the full id goes in a tooltip). */
export function shortId(id: string, length = 8): string {
  return id.length > length + 1 ? `${id.slice(0, length)}…` : id;
}

/** "Reporter", "Reported user" or "Other (Ann)", from the operator's side. */
export function authorLabel(m: EvidenceMessage): string {
  const base = m.author === 'reporter' ? 'Reporter' : m.author === 'reported' ? 'Reported user' : 'Other';
  return m.name ? `${base} (${m.name})` : base;
}

export function kindLabel(report: Report): string {
  switch (report.kind) {
    case 'chat':
      return 'One-to-one chat';
    case 'room':
      return report.context.seq === undefined
        ? `Room ${String(report.context.code ?? '?')} as a whole (“${String(report.context.title ?? '?')}”)`
        : `Room ${String(report.context.code ?? '?')}, message #${String(report.context.seq ?? '?')}`;
    case 'dm':
      return 'Direct message';
  }
}

/** The room message a room report points at, for "Delete message"; null for other reports. */
export function roomMessageOf(report: Report): { code: string; seq: number } | null {
  if (report.kind !== 'room') return null;
  const { code, seq } = report.context;
  return typeof code === 'string' && typeof seq === 'number' ? { code, seq } : null;
}

export function formatDateTime(at: number, locale?: string): string {
  return new Date(at).toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "2 min ago", "3 h ago", "4 days ago". */
export function formatAge(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < DAY_MS / 1000) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** "Forever", "until 3 Dec, 14:05", "lifted", "ended". */
export function banStatus(ban: Ban, now: number, locale?: string): string {
  if (ban.liftedAt !== null) return `Lifted ${formatDateTime(ban.liftedAt, locale)}`;
  if (ban.until === null) return 'Forever';
  if (ban.until <= now) return `Ended ${formatDateTime(ban.until, locale)}`;
  return `Until ${formatDateTime(ban.until, locale)}`;
}

export function banKindLabel(ban: Ban): string {
  return ban.kind === 'ip' ? 'Address' : 'Identity';
}

/** One line per audit entry: what was done, in words, with its ids. */
export function describeAudit(entry: AuditEntry): string {
  const d = entry.detail;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');
  switch (entry.action) {
    case 'report.dismiss':
      return `Dismissed report ${str(d.reportId)} about ${str(d.targetId)}`;
    case 'report.ban': {
      const bans = Array.isArray(d.bans) ? (d.bans as Array<{ kind?: unknown; until?: unknown }>) : [];
      const what = bans.map((b) => `${b.kind === 'ip' ? 'address' : 'identity'} ${typeof b.until === 'number' ? `until ${formatDateTime(b.until)}` : 'forever'}`);
      return `Banned ${str(d.targetId)} (${what.join(', ') || 'identity'}) on report ${str(d.reportId)}`;
    }
    case 'report.view-frame':
      return `Viewed the still frame the reporter attached to report ${str(d.reportId)}`;
    case 'ban.lift':
      return `Lifted ban ${str(d.banId)}`;
    case 'room.delete-message':
      return `Deleted message #${str(d.seq)} in room ${str(d.code)}`;
    case 'room.read-history':
      return `Read the history of room ${str(d.code)}`;
    case 'suspension.lift':
      return `Lifted the suspension of ${str(d.targetId)}: ${str(d.independent)} independent of ${str(d.reporters)} reporters`;
    case 'room.remove':
      return `Removed room ${str(d.code)} (“${str(d.title)}”, ${str(d.visibility)}, ${str(d.members)} in it)`;
    default:
      return `${entry.action} ${Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ')}`;
  }
}

/** Report groups about a whole room are keyed `room:<code>`; the code, or null for a user. */
export function reportedRoomOf(targetId: string): string | null {
  return targetId.startsWith('room:') ? targetId.slice('room:'.length) : null;
}

/** What the ban confirmation says: who, for how long, and what else happens. */
export function banConfirmation(targetId: string, resolution: { durationMs?: number; banIp?: boolean }, now: number): { title: string; text: string; confirm: string } {
  const length = DURATIONS.find((d) => d.ms === (resolution.durationMs ?? null))?.label.toLowerCase() ?? 'a while';
  const forever = resolution.durationMs === undefined;
  const until = forever ? 'for good' : `until ${formatDateTime(now + resolution.durationMs!)}`;
  const address = resolution.banIp ? ' Their address (IPv6 by /64) is banned for the same time: everyone connecting from it is refused.' : '';
  return {
    title: `Ban user ${shortId(targetId, 12)} ${forever ? 'forever' : `for ${length}`}?`,
    text: `They are disconnected now and refused ${until}.${address} Their other open reports are closed.`,
    confirm: forever ? 'Ban forever' : `Ban for ${length}`,
  };
}
