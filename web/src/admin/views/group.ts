/**
 * One reported identity in the queue: who (a short id), how many people
 * reported it (and whether they share an address, so may be one person, and
 * how many count as independent), whether it is suspended, its earlier reports and bans, then each
 * open report with its note, the evidence the server stored (the reported
 * message highlighted), the still frame the reporter attached if any (shown
 * on request, labelled as the reporter's) and the actions.
 */
import { el } from '../../app/dom';
import {
  DURATIONS,
  authorLabel,
  banKindLabel,
  banStatus,
  formatAge,
  formatDateTime,
  kindLabel,
  oldestAt,
  reasonLabel,
  reportedRoomOf,
  roomMessageOf,
  shortId,
} from '../queue';
import type { Report, ReportGroup, Resolution } from '@parley/protocol';
import type { Result } from '../api';

export interface GroupActions {
  /** A report's still frame as a data: URL (the console asks again for the token on a 401). */
  frame(report: Report): Promise<Result<string>>;
  resolve(report: Report, resolution: Resolution): void;
  deleteRoomMessage(report: Report, code: string, seq: number): void;
  /** Removes a reported room (after asking). */
  removeRoom(code: string, title: string): void;
}

function badge(text: string, testId: string, tone = ''): HTMLSpanElement {
  const node = el('span', `admin-badge ${tone}`.trim(), text);
  node.dataset.testid = testId;
  return node;
}

function button(label: string, testId: string, className: string, onClick: () => void): HTMLButtonElement {
  const node = el('button', `btn btn-sm ${className}`, label);
  node.type = 'button';
  node.dataset.testid = testId;
  node.addEventListener('click', onClick);
  return node;
}

function evidenceList(report: Report): HTMLElement {
  if (report.evidence.length === 0) {
    const none = el('p', 'hint', 'No messages were stored with this report.');
    none.dataset.testid = 'admin-evidence-empty';
    return none;
  }
  const list = el('ol', 'admin-evidence');
  list.dataset.testid = 'admin-evidence';
  list.setAttribute('aria-label', 'Evidence: messages as the server stored them');
  // A stop of its own, so a long log (it scrolls) can be read with the arrow keys.
  list.tabIndex = 0;
  for (const m of report.evidence) {
    const item = el('li', `admin-line admin-line-${m.author}`);
    item.dataset.testid = 'admin-evidence-line';
    item.dataset.author = m.author;
    if (m.reported) {
      item.classList.add('admin-line-target');
      item.dataset.reported = 'true';
    }
    const who = el('span', 'admin-line-who', authorLabel(m));
    const time = el('time', 'admin-line-time', formatDateTime(m.sentAt));
    time.dateTime = new Date(m.sentAt).toISOString();
    const head = el('span', 'admin-line-head');
    head.append(who, time);
    if (m.seq !== undefined) head.append(el('span', 'admin-line-seq', `#${m.seq}`));
    if (m.reported) head.append(el('span', 'admin-line-flag', 'reported message'));
    item.append(head, el('span', 'admin-line-text', m.text));
    list.append(item);
  }
  return list;
}

/**
 * The reporter's still frame: always labelled as the reporter's, not the
 * server's, and shown only on request (it may be hard to look at).
 */
function frameBox(report: Report, actions: GroupActions): HTMLElement {
  const box = el('figure', 'admin-frame');
  box.dataset.testid = 'admin-frame';
  const label = el('figcaption', 'admin-frame-label');
  label.dataset.testid = 'admin-frame-label';
  label.append(
    el('strong', undefined, 'Supplied by the reporter — not verified by parley.'),
    document.createTextNode(' A still of the reported user’s video that the reporter’s device sent. Unlike the messages, which are the server’s own record, this picture could have been edited or taken from elsewhere.'),
  );
  const image = el('img', 'admin-frame-image');
  image.dataset.testid = 'admin-frame-image';
  image.alt = 'Still frame supplied by the reporter, not verified by parley';
  image.hidden = true;
  const error = el('p', 'error');
  error.dataset.testid = 'admin-frame-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  // The button stays (Show / Hide), so focus stays on it; it is marked busy, not disabled, while loading.
  const reveal = button('Show frame', 'admin-frame-show', 'btn-secondary', () => {
    if (reveal.getAttribute('aria-disabled') === 'true') return;
    if (image.src) {
      image.hidden = !image.hidden;
      reveal.textContent = image.hidden ? 'Show frame' : 'Hide frame';
      return;
    }
    reveal.setAttribute('aria-disabled', 'true');
    reveal.textContent = 'Loading frame…';
    void actions.frame(report).then((result) => {
      reveal.removeAttribute('aria-disabled');
      if (result.ok) {
        image.src = result.data;
        image.hidden = false;
        error.hidden = true;
        reveal.textContent = 'Hide frame';
        return;
      }
      error.textContent = result.message;
      error.hidden = false;
      reveal.textContent = 'Show frame';
    });
  });
  box.append(label, reveal, image, error);
  return box;
}

function banControls(report: Report, actions: GroupActions): HTMLElement {
  const box = el('div', 'admin-ban');
  const id = `ban-${report.id}`;
  const label = el('label', 'admin-inline-label', 'Ban for');
  label.htmlFor = `${id}-duration`;
  const select = el('select', 'field admin-select');
  select.id = `${id}-duration`;
  select.dataset.testid = 'admin-ban-duration';
  DURATIONS.forEach((d, i) => {
    const option = el('option', undefined, d.label);
    option.value = String(i);
    select.append(option);
  });
  select.value = '1';
  const ipLabel = el('label', 'admin-check');
  const ip = el('input');
  ip.type = 'checkbox';
  ip.dataset.testid = 'admin-ban-ip';
  ip.disabled = report.targetIpHash === null;
  ipLabel.append(ip, document.createTextNode(' Also ban the address'));
  if (ip.disabled) ipLabel.title = 'The reported user was not connected when reported: there is no address to ban.';
  const go = button('Ban', 'admin-ban', 'btn-danger', () => {
    const choice = DURATIONS[Number(select.value)] ?? DURATIONS[1]!;
    const resolution: Resolution = { action: 'ban', ...(choice.ms === null ? {} : { durationMs: choice.ms }), ...(ip.checked ? { banIp: true } : {}) };
    actions.resolve(report, resolution);
  });
  box.append(label, select, ipLabel, go);
  return box;
}

function reportCard(report: Report, actions: GroupActions, now: number): HTMLElement {
  const card = el('article', 'admin-report');
  card.dataset.testid = 'admin-report';
  card.dataset.reportId = report.id;
  card.setAttribute('aria-label', `${reasonLabel(report.reason)} report, ${formatAge(report.createdAt, now)}`);
  const head = el('div', 'admin-report-head');
  const reason = el('strong', `admin-reason admin-reason-${report.reason}`, reasonLabel(report.reason));
  reason.dataset.testid = 'admin-report-reason';
  const when = el('time', 'admin-muted', `${formatDateTime(report.createdAt)} · ${formatAge(report.createdAt, now)}`);
  when.dateTime = new Date(report.createdAt).toISOString();
  const by = el('span', 'admin-muted', `by ${shortId(report.reporterId)}`);
  by.title = report.reporterId;
  head.append(reason, el('span', 'admin-kind', kindLabel(report)), when, by);
  card.append(head);
  if (report.note) {
    const note = el('blockquote', 'admin-note', report.note);
    note.dataset.testid = 'admin-report-note';
    card.append(note);
  }
  card.append(evidenceList(report));
  if (report.frame) card.append(frameBox(report, actions));

  const bar = el('div', 'admin-actions');
  bar.append(button('Dismiss', 'admin-dismiss', 'btn-secondary', () => actions.resolve(report, { action: 'dismiss' })));
  const message = roomMessageOf(report);
  if (message) {
    bar.append(button(`Delete message #${message.seq}`, 'admin-delete-message', 'btn-ghost btn-danger-text', () =>
      actions.deleteRoomMessage(report, message.code, message.seq)));
  }
  const room = reportedRoomOf(report.targetId);
  if (room) {
    bar.append(button('Remove room', 'admin-remove-room', 'btn-danger', () => actions.removeRoom(room, String(report.context.title ?? room))));
  } else {
    bar.append(banControls(report, actions));
  }
  card.append(bar);
  return card;
}

function history(group: ReportGroup, now: number): HTMLElement | null {
  if (group.earlierReports.length === 0 && group.bans.length === 0) return null;
  const box = el('details', 'admin-history');
  box.dataset.testid = 'admin-history';
  const parts: string[] = [];
  if (group.earlierReports.length) parts.push(`${group.earlierReports.length} earlier report${group.earlierReports.length === 1 ? '' : 's'}`);
  if (group.bans.length) parts.push(`${group.bans.length} ban${group.bans.length === 1 ? '' : 's'}`);
  box.append(el('summary', undefined, `History: ${parts.join(', ')}`));
  const list = el('ul', 'admin-history-list');
  for (const r of group.earlierReports) {
    const outcome = r.resolution ? (r.resolution.action === 'ban' ? 'banned' : 'dismissed') : 'closed';
    list.append(el('li', undefined, `${formatDateTime(r.createdAt)} · ${reasonLabel(r.reason)} · ${kindLabel(r)} · ${outcome}`));
  }
  for (const b of group.bans) {
    list.append(el('li', 'admin-history-ban', `Ban (${banKindLabel(b).toLowerCase()}) from ${formatDateTime(b.createdAt)} · ${banStatus(b, now)}`));
  }
  box.append(list);
  return box;
}

export function renderGroup(group: ReportGroup, actions: GroupActions, now: number): HTMLElement {
  const card = el('section', 'admin-group');
  card.dataset.testid = 'admin-group';
  card.dataset.target = group.targetId;
  const titleId = `group-${group.targetId}`;
  card.setAttribute('aria-labelledby', titleId);
  const head = el('div', 'admin-group-head');
  const title = el('h2', 'admin-h2');
  title.id = titleId;
  const id = el('code', 'admin-id', shortId(group.targetId, 12));
  id.title = group.targetId;
  title.append(reportedRoomOf(group.targetId) ? 'Reported room ' : 'Reported user ', id);
  const badges = el('div', 'admin-badges');
  badges.append(badge(`${group.reporterCount} reporter${group.reporterCount === 1 ? '' : 's'}`, 'admin-reporter-count', group.reporterCount >= 3 ? 'admin-badge-hot' : ''));
  if (group.sharedAddress) {
    const shared = badge(`Reporters share an address (${group.reporterAddresses} address${group.reporterAddresses === 1 ? '' : 'es'})`, 'admin-shared-address', 'admin-badge-warn');
    shared.title = 'Some of these reporters reported from, or later connected from, the same address: perhaps one person.';
    badges.append(shared);
  }
  const independent = badge(`${group.independentReporters} independent`, 'admin-independent');
  independent.title = 'Reporters that count towards an automatic suspension: established identities, one per address.';
  badges.append(independent);
  if (group.suspended) badges.append(badge('Suspended', 'admin-suspended', 'admin-badge-warn'));
  if (group.bans.some((b) => b.liftedAt === null && (b.until === null || b.until > now))) badges.append(badge('Banned', 'admin-banned', 'admin-badge-hot'));
  badges.append(el('span', 'admin-muted', `oldest report ${formatAge(oldestAt(group), now)}`));
  head.append(title, badges);
  card.append(head);
  const past = history(group, now);
  if (past) card.append(past);
  for (const report of group.reports) card.append(reportCard(report, actions, now));
  return card;
}
