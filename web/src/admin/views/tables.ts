/**
 * The rooms (each with Remove), the bans in force (each with Lift) and the
 * audit log, as table rows. Every cell carries its column's name, which a
 * phone shows beside it when the rows stack as cards.
 */
import { el } from '../../app/dom';
import { banKindLabel, banStatus, describeAudit, formatAge, formatDateTime, reasonLabel, shortId } from '../queue';
import type { AuditEntry, Ban, RoomRow } from '@parley/protocol';

function cell(label: string, text: string, title?: string): HTMLTableCellElement {
  const td = el('td', undefined, text);
  td.dataset.label = label;
  if (title) td.title = title;
  return td;
}

function emptyRow(text: string, columns: number): HTMLTableRowElement {
  const row = el('tr');
  const td = el('td', 'admin-empty', text);
  td.colSpan = columns;
  row.append(td);
  return row;
}

function actionCell(button: HTMLButtonElement): HTMLTableCellElement {
  const action = el('td', 'admin-cell-action');
  action.append(button);
  return action;
}

export function roomRows(rooms: readonly RoomRow[], now: number, onRemove: (room: RoomRow) => void): HTMLTableRowElement[] {
  if (rooms.length === 0) return [emptyRow('No rooms.', 7)];
  return rooms.map((room) => {
    const row = el('tr');
    row.dataset.testid = 'admin-room-row';
    row.dataset.code = room.code;
    const remove = el('button', 'btn btn-sm btn-secondary btn-danger-text', 'Remove');
    remove.type = 'button';
    remove.dataset.testid = 'admin-room-remove';
    remove.setAttribute('aria-label', `Remove the room ${room.title}`);
    remove.addEventListener('click', () => onRemove(room));
    const title = cell('Title', room.title);
    title.className = 'admin-room-title';
    title.dir = 'auto';
    const reports = cell('Open reports', String(room.reports));
    reports.dataset.testid = 'admin-room-reports';
    if (room.reports > 0) reports.className = 'admin-reports-hot';
    row.append(
      title,
      cell('Code', shortId(room.code, 12), room.code),
      cell('Visibility', room.visibility === 'private' ? 'Private' : 'Public'),
      cell('People', String(room.members)),
      cell('Last active', formatAge(room.lastActiveAt, now), formatDateTime(room.lastActiveAt)),
      reports,
      actionCell(remove),
    );
    return row;
  });
}

export function banRows(bans: readonly Ban[], now: number, onLift: (ban: Ban) => void): HTMLTableRowElement[] {
  if (bans.length === 0) return [emptyRow('No bans in force.', 6)];
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
    row.append(
      cell('Kind', banKindLabel(ban)),
      cell('Subject', shortId(ban.subject, 12), ban.subject),
      cell('Reason', reasonLabel(ban.reason)),
      cell('Since', formatDateTime(ban.createdAt)),
      cell('Ends', banStatus(ban, now)),
      actionCell(lift),
    );
    return row;
  });
}

export function auditRows(entries: readonly AuditEntry[]): HTMLTableRowElement[] {
  if (entries.length === 0) return [emptyRow('Nothing yet.', 3)];
  return entries.map((entry) => {
    const row = el('tr');
    row.dataset.testid = 'admin-audit-row';
    row.dataset.action = entry.action;
    row.append(cell('When', formatDateTime(entry.at)), cell('What', describeAudit(entry)), cell('By', shortId(entry.actor), entry.actor));
    return row;
  });
}
