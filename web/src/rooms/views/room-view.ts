/**
 * The room screen around the message list: the bar (back, copy link, people,
 * the backstage for the host, co-hosts and invited members, settings for the
 * host, leave; a backstage is labelled as one), what the room is about (its description and
 * rules, open at join), the member list (a drawer on phones, with reporting
 * the room and the moderators' tools), typing names, the reply being written
 * and the composer with its slow-mode countdown.
 */
import type { RoomMemberInfo } from '@parley/protocol';
import { byTestId, el, setMessage, setMixedText, show, userText } from '../../app/dom';
import { formatCount, formatTime, typingParts } from '../../app/format';
import type { Settings } from '../../app/settings';
import type { OpenReport } from '../../moderation/views/report-dialog';
import { bindComposer, composerParts } from '../../ui/composer';
import type { RoomActions } from '../rooms-controller';
import { excerpt, findBySeq } from '../room-timeline';
import { canModerate, type JoinedRoom, type RoomsStateStore } from '../rooms-state';
import type { Confirm } from '../../ui/confirm';
import { bindSettingsDialog } from './room-settings-dialog';
import { isMuted, nextMuteEnd } from '../deadlines';

/** The mutes the member list offers. */
const MUTES = [
  { label: 'Mute 5 min', testid: 'room-mute-5m', ms: 5 * 60_000 },
  { label: 'Mute 1 h', testid: 'room-mute-1h', ms: 60 * 60_000 },
] as const;

export function mountRoomView(store: RoomsStateStore, actions: RoomActions, confirm: Confirm, settings: Settings, report?: OpenReport): void {
  const view = byTestId('room-view');
  const title = byTestId('room-title');
  const sub = byTestId('room-sub');
  const copy = byTestId<HTMLButtonElement>('room-copy-link');
  const toggle = byTestId<HTMLButtonElement>('room-members-toggle');
  const close = byTestId<HTMLButtonElement>('room-members-close');
  const panel = byTestId('room-members-panel');
  const panelTitle = byTestId('room-members-title');
  const memberList = byTestId<HTMLUListElement>('room-members');
  const typing = byTestId('room-typing');
  const typingLine = typing.querySelector<HTMLElement>('.room-typing-text')!;
  const error = byTestId('room-error');
  const preview = byTestId('room-reply-preview');
  const previewLabel = preview.querySelector<HTMLElement>('.reply-label')!;
  const quote = byTestId('room-reply-quote');
  const about = byTestId<HTMLDetailsElement>('room-about');
  const description = byTestId('room-description');
  const rulesTitle = byTestId('room-rules-title');
  const rules = byTestId('room-rules');
  const slow = byTestId('room-slow-mode');
  const send = byTestId<HTMLButtonElement>('room-send');
  const settingsButton = byTestId<HTMLButtonElement>('room-settings-open');
  // On a phone the bar's button gives way to the drawer's, as the backstage's does.
  const settingsInDrawer = byTestId<HTMLButtonElement>('room-settings-open-drawer');
  const backstageButton = byTestId<HTMLButtonElement>('room-backstage-open');
  const backstageLabel = byTestId('room-backstage-label');
  const backstageNotice = byTestId('room-backstage-notice');
  const backstageNoticeText = byTestId('room-backstage-notice-text');
  // The bar's button gives way to the drawer's on a phone.
  const backstageInDrawer = byTestId<HTMLButtonElement>('room-backstage-open-drawer');
  for (const button of [backstageButton, backstageInDrawer, byTestId('room-backstage-notice-open')]) {
    button.addEventListener('click', () => code && void actions.openBackstage(code));
  }
  let code: string | null = null;
  /** Rooms whose description and rules were shown open once (at join); later they stay as the user left them. */
  const introduced = new Set<string>();
  const cancel = byTestId<HTMLButtonElement>('room-reply-cancel');
  const stopEditing = () => {
    actions.startEdit(null);
    composer.clear();
  };

  const composer = bindComposer(composerParts('room'), {
    limits: settings,
    open: () => code !== null,
    send: (text) => {
      if (!code) return;
      if (store.get().editing !== null) void actions.edit(code, text);
      else actions.send(code, text);
    },
    typing: (on) => code && actions.typing(code, on),
    refused: () => store.get().error?.scope === 'room',
    escape: () => {
      if (store.get().editing !== null) stopEditing();
      else if (store.get().replyTo !== null) actions.replyTo(null);
    },
  });

  const setDrawer = (open: boolean) => {
    view.dataset.drawer = open ? 'open' : 'closed';
    toggle.setAttribute('aria-expanded', String(open));
    if (open) close.focus();
  };
  toggle.addEventListener('click', () => setDrawer(view.dataset.drawer !== 'open'));
  close.addEventListener('click', () => {
    setDrawer(false);
    toggle.focus();
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && view.dataset.drawer === 'open') {
      setDrawer(false);
      toggle.focus();
    }
  });

  byTestId('room-back').addEventListener('click', () => actions.open(null));
  const reportRoom = byTestId<HTMLButtonElement>('room-report-room');
  /** Rooms this page reported: reporting again would only return the same report. */
  const reportedRooms = new Set<string>();
  const showReported = () => {
    const done = code !== null && reportedRooms.has(code);
    reportRoom.disabled = done;
    reportRoom.textContent = done ? 'Room reported' : 'Report this room';
  };
  show(reportRoom, report !== undefined);
  reportRoom.addEventListener('click', () => {
    const room = code ? store.get().joined.get(code) : undefined;
    if (!room || !report) return;
    void report({ kind: 'room-itself', code: room.info.code, title: room.info.title }).then((sent) => {
      if (!sent) return;
      reportedRooms.add(room.info.code);
      showReported();
    });
  });
  byTestId('room-leave').addEventListener('click', () => code && void actions.leave(code));
  cancel.addEventListener('click', () => {
    if (store.get().editing !== null) stopEditing();
    else actions.replyTo(null);
    composer.focus();
  });
  const copyLink = (button: HTMLButtonElement) => {
    const url = `${window.location.origin}/r/${code}`;
    const label = button.textContent;
    const done = () => {
      button.textContent = 'Link copied';
      setTimeout(() => (button.textContent = label), 2000);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, () => window.prompt('Invite link', url));
    else window.prompt('Invite link', url);
  };
  copy.addEventListener('click', () => copyLink(copy));
  const copyInDrawer = byTestId<HTMLButtonElement>('room-copy-link-drawer');
  copyInDrawer.addEventListener('click', () => copyLink(copyInDrawer));

  const tool = (label: string, testid: string, aria: string, run: () => void, danger = false): HTMLButtonElement => {
    const button = el('button', `btn btn-ghost btn-sm member-tool${danger ? ' btn-danger-text' : ''}`, label);
    button.type = 'button';
    button.dataset.testid = testid;
    button.setAttribute('aria-label', aria);
    button.addEventListener('click', run);
    return button;
  };

  const memberItem = (room: JoinedRoom, member: RoomMemberInfo): HTMLLIElement => {
    const item = el('li', 'member');
    item.dataset.testid = 'room-member';
    item.dataset.name = member.name;
    item.dataset.role = member.role;
    const you = member.name === room.you.name;
    const head = el('div', 'member-head');
    head.append(userText('span', 'member-name', member.name));
    if (you) head.append(el('span', 'member-tag', 'you'));
    if (member.role === 'host') head.append(el('span', 'member-tag member-host', 'host'));
    if (member.role === 'cohost') head.append(el('span', 'member-tag member-cohost', 'co-host'));
    const muted = isMuted(member, Date.now());
    if (muted) {
      const tag = el('span', 'member-tag member-muted', `muted till ${formatTime(member.mutedUntil!)}`);
      tag.dataset.testid = 'room-member-muted';
      head.append(tag);
    }
    item.append(head);
    if (you) return item;
    const target = room.info.code;
    const tools: HTMLButtonElement[] = [];
    if (room.you.role === 'host') {
      const makeCohost = member.role !== 'cohost';
      tools.push(
        tool(makeCohost ? 'Make co-host' : 'Remove co-host', 'room-role', `${makeCohost ? 'Make' : 'Stop'} ${member.name} ${makeCohost ? 'a co-host' : 'being a co-host'}`, () =>
          void actions.setRole(target, member.name, makeCohost ? 'cohost' : 'member'),
        ),
      );
    }
    if (room.you.role === 'host' && room.backstageOf === null && member.role === 'member') {
      const invited = room.backstageInvited.includes(member.name);
      const invite = tool(invited ? 'Invited to backstage' : 'Invite to backstage', 'room-backstage-invite', `Invite ${member.name} to the backstage`, () =>
        void actions.inviteToBackstage(target, member.name),
      );
      invite.disabled = invited;
      tools.push(invite);
    }
    if (canModerate(room.you, member)) {
      if (muted) tools.push(tool('Unmute', 'room-unmute', `Unmute ${member.name}`, () => void actions.mute(target, member.name, 0)));
      else for (const m of MUTES) tools.push(tool(m.label, m.testid, `${m.label.replace('Mute', `Mute ${member.name} for`)}`, () => void actions.mute(target, member.name, m.ms)));
      tools.push(
        tool('Remove', 'room-kick', `Remove ${member.name} from the room`, () => {
          void confirm({
            title: `Remove ${member.name}?`,
            text: 'They leave the room at once and can’t come back for a while.',
            confirm: 'Remove',
          }).then((yes) => {
            if (yes) void actions.kick(target, member.name);
          });
        }, true),
      );
    }
    if (tools.length > 0) {
      const row = el('div', 'member-tools');
      row.append(...tools);
      item.append(row);
    }
    return item;
  };

  const openSettings = bindSettingsDialog(actions);
  for (const button of [settingsButton, settingsInDrawer]) {
    button.addEventListener('click', () => {
      const room = code ? store.get().joined.get(code) : undefined;
      if (button === settingsInDrawer) setDrawer(false);
      if (room) openSettings(room.info.code, room.settings);
    });
  }

  /** The composer's status line: a mute with its end, or slow mode's rule, or the seconds left after one's own message. */
  const showSlowMode = () => {
    const room = code ? store.get().joined.get(code) : undefined;
    const slowModeS = room?.settings.slowModeS ?? 0;
    const exempt = !room || room.you.role !== 'member';
    const left = room ? Math.ceil((room.slowUntil - Date.now()) / 1000) : 0;
    const mutedUntil = room?.you.mutedUntil ?? 0;
    show(slow, slowModeS > 0 || mutedUntil > Date.now());
    slow.textContent =
      mutedUntil > Date.now()
        ? `You’re muted until ${formatTime(mutedUntil)}`
        : exempt
          ? `Slow mode: ${slowModeS} s (you’re exempt)`
          : left > 0
            ? `Slow mode: send again in ${left} s`
            : `Slow mode: one message every ${slowModeS} s`;
    const waiting = !exempt && left > 0;
    slow.dataset.waiting = String(waiting);
    // Send is off while the countdown runs (an edit is not held by slow mode); afterwards the composer's own rules (empty, too long) decide again.
    const held = waiting && store.get().editing === null;
    if (held) send.disabled = true;
    else if (wasHeld) composer.refresh();
    wasHeld = held;
    if (!waiting && store.get().error?.text.startsWith('Slow mode')) actions.dismissError();
  };
  let wasHeld = false;

  let shownMembers: readonly RoomMemberInfo[] | null = null;
  let shownInvited: readonly string[] | null = null;
  /** When a shown member's mute ends: the list is drawn again then, without its "muted" mark. */
  let membersRedrawAt = Infinity;
  const drawMembers = (room: JoinedRoom) => {
    memberList.replaceChildren(...room.members.map((m) => memberItem(room, m)));
    shownMembers = room.members;
    shownInvited = room.backstageInvited;
    membersRedrawAt = nextMuteEnd(room.members, Date.now());
  };
  setInterval(() => {
    showSlowMode();
    const room = code ? store.get().joined.get(code) : undefined;
    if (room && Date.now() >= membersRedrawAt) drawMembers(room);
  }, 1000);
  store.subscribe((state, previous) => {
    const room = state.active ? state.joined.get(state.active) : undefined;
    show(view, state.tab === 'rooms' && !!room);
    if (!room) {
      if (code) composer.stopTyping();
      code = null;
      return;
    }
    if (code !== room.info.code) {
      composer.clear();
      setDrawer(false);
      shownMembers = null;
      shownInvited = null;
      code = room.info.code;
      showReported();
      if (previous.active !== state.active) setTimeout(() => composer.focus({ preventScroll: true }));
    }
    title.textContent = room.info.title;
    // Rebuilt only when it changes: the name is appended after the line, so a second pass would add it again.
    const subKey = JSON.stringify([room.info.code, room.info.topic, room.info.visibility, room.you.name, room.backstageOf]);
    if (sub.dataset.key !== subKey) {
      sub.dataset.key = subKey;
      sub.replaceChildren();
      setMixedText(sub, [
        ...(room.info.topic ? [{ user: `#${room.info.topic}` }] : []),
        room.backstageOf !== null ? 'Host, co-hosts and invited people only' : room.info.visibility === 'private' ? 'Private room' : 'Public room',
        'you’re ',
      ]);
      sub.append(userText('bdi', undefined, room.you.name));
    }
    const count = `People (${formatCount(room.members.length)})`;
    toggle.textContent = count;
    panelTitle.textContent = count;
    if (room.members !== shownMembers || room.backstageInvited !== shownInvited) drawMembers(room);
    show(settingsButton, room.you.role === 'host');
    show(settingsInDrawer, room.you.role === 'host');
    const backstage = room.backstageOf !== null;
    view.dataset.backstage = String(backstage);
    show(backstageLabel, backstage);
    // Its link opens nothing for anyone else.
    show(copy, !backstage);
    show(copyInDrawer, !backstage);
    const mayEnter = !backstage && (room.you.role !== 'member' || room.backstageBy !== null);
    show(backstageButton, mayEnter);
    show(backstageInDrawer, mayEnter);
    show(backstageNotice, !backstage && room.backstageBy !== null);
    backstageNoticeText.textContent = room.backstageBy !== null ? `${room.backstageBy} invited you to the backstage.` : '';
    const { description: text, rules: ruleText } = room.settings;
    show(about, text !== null || ruleText !== null);
    description.textContent = text ?? '';
    show(description, text !== null);
    rules.textContent = ruleText ?? '';
    show(rules, ruleText !== null);
    show(rulesTitle, ruleText !== null);
    if ((text !== null || ruleText !== null) && !introduced.has(room.info.code)) {
      introduced.add(room.info.code);
      about.open = true;
    }
    showSlowMode();
    const others = room.typing.filter((n) => n !== room.you.name);
    setMixedText(typingLine, typingParts(others), '');
    show(typing, others.length > 0);
    // The preview above the composer: the message being edited, or the one answered.
    const editing = state.editing !== null ? findBySeq(room.timeline, state.editing) : undefined;
    if (editing && previous.editing !== state.editing) composer.setText(editing.text);
    if (!editing && previous.editing !== null && state.editing === null && previous.active === state.active) composer.clear();
    const replying = state.replyTo !== null ? findBySeq(room.timeline, state.replyTo) : undefined;
    const shownQuote = editing ?? replying;
    show(preview, !!shownQuote);
    preview.dataset.mode = editing ? 'edit' : 'reply';
    previewLabel.textContent = editing ? 'Editing your message' : 'Replying to';
    cancel.setAttribute('aria-label', editing ? 'Cancel editing' : 'Cancel reply');
    quote.textContent = editing ? excerpt(editing.text, 60) : replying ? `${replying.name}: ${excerpt(replying.text, 60)}` : '';
    setMessage(error, state.error?.scope === 'room' ? state.error.text : null);
  });
}
