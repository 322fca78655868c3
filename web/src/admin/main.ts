/**
 * The operator console (/admin): asks for the token, then shows the queue of
 * open reports, the rooms, the bans in force and the audit log, and acts
 * through the operator API; a ban and a room's removal are confirmed first,
 * saying who or what and for how long. A 401 asks for the token again; a 429
 * says to wait.
 */
import { byTestId, setMessage, show } from '../app/dom';
import { createAdminApi, type Failure } from './api';
import { DURATIONS, banConfirmation, countOpen, shortId, sortQueue } from './queue';
import { sessionToken } from './token';
import type { Report, ReportGroup, Resolution } from '@parley/protocol';
import { mountConfirm } from '../ui/confirm';
import { renderGroup, type GroupActions } from './views/group';
import { auditRows, banRows, roomRows } from './views/tables';

type Tab = 'queue' | 'rooms' | 'bans' | 'audit';

function main(): void {
  const tokens = sessionToken();
  const api = createAdminApi(() => tokens.read());
  const login = byTestId('admin-login');
  const loginForm = byTestId<HTMLFormElement>('admin-login-form');
  const tokenInput = byTestId<HTMLInputElement>('admin-token');
  const loginError = byTestId('admin-login-error');
  const tabsNav = byTestId('admin-tabs');
  const topActions = byTestId('admin-top-actions');
  const banner = byTestId('admin-banner');
  const notice = byTestId('admin-notice');
  const sections: Record<Tab, HTMLElement> = {
    queue: byTestId('admin-queue'),
    rooms: byTestId('admin-rooms'),
    bans: byTestId('admin-bans'),
    audit: byTestId('admin-audit'),
  };
  const groupsNode = byTestId('admin-groups');
  const queueSummary = byTestId('admin-queue-summary');
  const queueCount = byTestId('admin-queue-count');
  const confirm = mountConfirm('admin-confirm');
  let tab: Tab = 'queue';
  let busy = false;

  const askForToken = (error: string | null) => {
    tokens.clear();
    for (const s of Object.values(sections)) show(s, false);
    show(tabsNav, false);
    show(topActions, false);
    setMessage(banner, null);
    setMessage(notice, null);
    show(login, true);
    setMessage(loginError, error);
    tokenInput.value = '';
    tokenInput.focus();
  };

  /** Handles a failed call; true when the console can go on showing what it has. */
  const failed = (failure: Failure): void => {
    if (failure.kind === 'unauthorized') return askForToken(failure.message);
    setMessage(notice, null);
    setMessage(banner, failure.message);
  };

  const say = (text: string) => {
    setMessage(banner, null);
    setMessage(notice, text);
  };

  const removeRoom = async (code: string, title: string, members?: number) => {
    const people = members === undefined ? '' : ` The ${members} ${members === 1 ? 'person' : 'people'} in it are told it was removed.`;
    const sure = await confirm({
      title: `Remove the room “${title}”?`,
      text: `Room ${code} and its messages are deleted for everyone, now.${people} This cannot be undone.`,
      confirm: 'Remove room',
    });
    if (!sure) return;
    await act(async () => {
      const result = await api.removeRoom(code);
      if (!result.ok) return failed(result);
      say(`Removed the room “${title}” (${code}).`);
    });
  };

  const groupActions: GroupActions = {
    frame: async (report) => {
      const result = await api.frame(report.id);
      if (!result.ok && result.kind === 'unauthorized') failed(result);
      return result;
    },
    resolve: (report, resolution) =>
      void (async () => {
        if (resolution.action === 'ban' && !(await confirm(banConfirmation(report.targetId, resolution, Date.now())))) return;
        await act(() => resolveReport(report, resolution));
      })(),
    removeRoom: (code, title) => void removeRoom(code, title),
    deleteRoomMessage: (report, code, seq) =>
      void act(async () => {
        const result = await api.deleteRoomMessage(code, seq);
        if (!result.ok) return failed(result);
        say(`Deleted message #${seq} in room ${code}. The report about ${shortId(report.targetId)} is still open.`);
      }),
  };

  async function resolveReport(report: Report, resolution: Resolution): Promise<void> {
    const result = await api.resolve(report.id, resolution);
    if (!result.ok) return failed(result);
    if (resolution.action === 'dismiss') return say(`Dismissed the report about ${shortId(report.targetId)}.`);
    const length = DURATIONS.find((d) => d.ms === (resolution.durationMs ?? null))?.label.toLowerCase() ?? 'a while';
    const what = resolution.banIp ? 'and their address' : '';
    say(`Banned ${shortId(report.targetId)} ${what} ${length === 'forever' ? 'for good' : `for ${length}`}. Their other open reports are closed.`.replace(/\s+/g, ' '));
  }

  /**
   * Where focus is in the current section, so that after a re-read replaced the lists it can go to the
   * control now in the same place (the same button of the next report or row), or else to the section's tab.
   */
  const holdFocus = (): (() => void) => {
    const section = sections[tab];
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const testId = active?.dataset.testid;
    if (!active || !testId || !section.contains(active)) return () => {};
    const same = `[data-testid="${testId}"]`;
    const index = [...section.querySelectorAll(same)].indexOf(active);
    return () => {
      const now = document.activeElement;
      if (now && now !== document.body && now.isConnected) return;
      const all = [...section.querySelectorAll<HTMLElement>(same)].filter((node) => !(node as HTMLButtonElement).disabled);
      (all[Math.min(index, all.length - 1)] ?? tabsNav.querySelector<HTMLElement>(`[data-tab="${tab}"]`))?.focus();
    };
  };

  /** Runs an action, then reads the current tab again; one at a time. Focus stays on a control. */
  async function act(run: () => Promise<void>): Promise<void> {
    if (busy) return;
    busy = true;
    document.body.setAttribute('aria-busy', 'true');
    const refocus = holdFocus();
    try {
      await run();
      await load();
      refocus();
    } finally {
      busy = false;
      document.body.removeAttribute('aria-busy');
    }
  }

  const renderQueue = (groups: ReportGroup[]) => {
    const sorted = sortQueue(groups);
    const now = Date.now();
    const open = countOpen(sorted);
    queueSummary.textContent = open === 0
      ? 'Nothing to review. New reports appear on Refresh.'
      : `${open} open report${open === 1 ? '' : 's'} about ${sorted.length} user${sorted.length === 1 ? '' : 's'}, oldest first.`;
    queueCount.textContent = open ? String(open) : '';
    groupsNode.replaceChildren(...sorted.map((g) => renderGroup(g, groupActions, now)));
  };

  async function load(): Promise<void> {
    if (tab === 'queue') {
      const result = await api.queue('open');
      if (!result.ok) return failed(result);
      renderQueue(result.data.groups);
    } else if (tab === 'rooms') {
      const result = await api.rooms();
      if (!result.ok) return failed(result);
      const { rooms } = result.data;
      const reported = rooms.filter((r) => r.reports > 0).length;
      byTestId('admin-rooms-summary').textContent =
        `${rooms.length} room${rooms.length === 1 ? '' : 's'}${reported ? `, ${reported} with open reports (listed first)` : ''}.`;
      byTestId('admin-rooms-rows').replaceChildren(...roomRows(rooms, Date.now(), (room) => void removeRoom(room.code, room.title, room.members)));
    } else if (tab === 'bans') {
      const result = await api.bans();
      if (!result.ok) return failed(result);
      const { bans } = result.data;
      byTestId('admin-bans-summary').textContent = `${bans.length} ban${bans.length === 1 ? '' : 's'} in force.`;
      byTestId('admin-bans-rows').replaceChildren(...banRows(bans, Date.now(), (ban) => void act(async () => {
        const lifted = await api.liftBan(ban.id);
        if (!lifted.ok) return failed(lifted);
        say(`Lifted the ban on ${shortId(ban.subject)}.`);
      })));
    } else {
      const result = await api.audit(200);
      if (!result.ok) return failed(result);
      byTestId('admin-audit-rows').replaceChildren(...auditRows(result.data.entries));
    }
    setMessage(banner, null);
  }

  const showTab = async (next: Tab) => {
    tab = next;
    show(login, false);
    show(tabsNav, true);
    show(topActions, true);
    for (const [name, section] of Object.entries(sections)) show(section, name === next);
    tabsNav.querySelectorAll<HTMLButtonElement>('[data-tab]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.tab === next)));
    // The section shows what it last held until the new read replaces it: busy until then.
    document.body.setAttribute('aria-busy', 'true');
    try {
      await load();
    } finally {
      if (!busy) document.body.removeAttribute('aria-busy');
    }
  };

  tabsNav.addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-tab]');
    if (target) {
      setMessage(notice, null);
      void showTab(target.dataset.tab as Tab);
    }
  });
  byTestId('admin-refresh').addEventListener('click', () => {
    setMessage(notice, null);
    void load();
  });
  byTestId('admin-sign-out').addEventListener('click', () => askForToken(null));
  loginForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = tokenInput.value.trim();
    if (!token) {
      setMessage(loginError, 'Enter the token.');
      return tokenInput.focus();
    }
    tokens.save(token);
    setMessage(loginError, null);
    void showTab('queue');
    // The form is gone: focus goes to the queue's tab, the first control of the console.
    tabsNav.querySelector<HTMLElement>('[data-tab="queue"]')?.focus();
  });

  if (tokens.read()) void showTab('queue');
  else askForToken(null);
}

main();
