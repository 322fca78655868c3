/** The bans in force (each with Lift) and the audit log, as table rows. */
import { el } from '../../app/dom';
import { banKindLabel, banStatus, describeAudit, formatDateTime, reasonLabel, shortId } from '../queue';
import type { AuditEntry, BanRecord } from '../types';

function cell(text: string, title?: string): HTMLTableCellElement {
  const td = el('td', undefined, text);
  if (title) td.title = title;
  return td;
}

export function banRows(bans: readonly BanRecord[], now: number, onLift: (ban: BanRecord) => void): HTMLTableRowElement[] {
  if (bans.length === 0) {
    const row = el('tr');
    const td = cell('No bans in force.');
    td.colSpan = 6;
    td.className = 'admin-empty';
    row.append(td);
    return [row];
  }
  return bans.map((ban) => {
    const row = el('tr');
    row.dataset.testid = 'admin-ban-row';
    row.dataset.banId = ban.id;
    row.dataset.subject = ban.subject;
    const lift = el('button', 'btn btn-sm btn-secondary', 'Lift');
    lift.type = 'button';
    lift.dataset.testid = 'admin-lift';
    lift.setAttribute('aria-label', `Lift the ${banKindLabel(ban).toLowerCase()} ban on ${shortId(ban.subject)}`);
    lift.addEventListener('click', () => onLift(ban));
    const action = el('td', 'admin-cell-action');
    action.append(lift);
    row.append(
      cell(banKindLabel(ban)),
      cell(shortId(ban.subject, 12), ban.subject),
      cell(reasonLabel(ban.reason)),
      cell(formatDateTime(ban.createdAt)),
      cell(banStatus(ban, now)),
      action,
    );
    return row;
  });
}

export function auditRows(entries: readonly AuditEntry[]): HTMLTableRowElement[] {
  if (entries.length === 0) {
    const row = el('tr');
    const td = cell('Nothing yet.');
    td.colSpan = 3;
    td.className = 'admin-empty';
    row.append(td);
    return [row];
  }
  return entries.map((entry) => {
    const row = el('tr');
    row.dataset.testid = 'admin-audit-row';
    row.dataset.action = entry.action;
    row.append(cell(formatDateTime(entry.at)), cell(describeAudit(entry)), cell(shortId(entry.actor), entry.actor));
    return row;
  });
}
