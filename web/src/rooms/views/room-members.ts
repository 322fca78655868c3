/**
 * The people in the room, with *you*, *host*, *co-host* and *muted till 14:05*
 * tags (the last goes by itself when the mute ends: ./deadlines), and under
 * each person a moderator may act on, its tools: co-host on or off and the
 * backstage invitation for the host, mutes and removal for the host and
 * co-hosts. On a phone the list is a drawer opened by **People (n)**.
 */
import type { RoomMemberInfo } from '@parley/protocol';
import { labelledBy } from '../../a11y/names';
import { byTestId, el, userText } from '../../app/dom';
import { formatCount, formatTime } from '../../app/format';
import type { Confirm } from '../../ui/confirm';
import { isMuted, nextMuteEnd } from '../deadlines';
import type { RoomActions } from '../rooms-controller';
import { canModerate, type JoinedRoom } from '../rooms-state';
import { t } from '../../i18n/i18n';

/** The mutes the member list offers. */
const MUTES = [
  { label: 'room.mute_5m', testid: 'room-mute-5m', ms: 5 * 60_000 },
  { label: 'room.mute_1h', testid: 'room-mute-1h', ms: 60 * 60_000 },
] as const;

export interface MemberList {
  /** Draws the list when the members or the backstage invitations changed. */
  render(room: JoinedRoom): void;
  /** Once a second: draws again once a shown mute ended. */
  tick(room: JoinedRoom | undefined): void;
  /** Another room is shown: the drawer closes and the list is drawn afresh. */
  reset(): void;
  setDrawer(open: boolean): void;
}

/** A tool under a person, named by its text and then the person's name ("Mute 5 min Ann"). */
function tool(label: string, testid: string, who: HTMLElement, run: () => void, danger = false): HTMLButtonElement {
  const button = el('button', `btn btn-ghost btn-sm member-tool${danger ? ' btn-danger-text' : ''}`, label);
  button.type = 'button';
  button.dataset.testid = testid;
  labelledBy(button, button, who);
  button.addEventListener('click', run);
  return button;
}

export function bindMemberList(actions: RoomActions, confirm: Confirm): MemberList {
  const view = byTestId('room-view');
  const toggle = byTestId<HTMLButtonElement>('room-members-toggle');
  const close = byTestId<HTMLButtonElement>('room-members-close');
  const panel = byTestId('room-members-panel');
  const panelTitle = byTestId('room-members-title');
  const memberList = byTestId<HTMLUListElement>('room-members');

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

  const memberItem = (room: JoinedRoom, member: RoomMemberInfo): HTMLLIElement => {
    const item = el('li', 'member');
    item.dataset.testid = 'room-member';
    item.dataset.name = member.name;
    item.dataset.role = member.role;
    const you = member.name === room.you.name;
    const head = el('div', 'member-head');
    const who = userText('span', 'member-name', member.name);
    head.append(who);
    if (you) head.append(el('span', 'member-tag', t('room.tag_you')));
    if (member.role === 'host') head.append(el('span', 'member-tag member-host', t('room.tag_host')));
    if (member.role === 'cohost') head.append(el('span', 'member-tag member-cohost', t('room.cohost')));
    const muted = isMuted(member, Date.now());
    if (muted) {
      const tag = el('span', 'member-tag member-muted', t('room.muted_till', { time: formatTime(member.mutedUntil!) }));
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
        tool(t(makeCohost ? 'room.make_cohost' : 'room.remove_cohost'), 'room-role', who, () =>
          void actions.setRole(target, member.name, makeCohost ? 'cohost' : 'member'),
        ),
      );
    }
    if (room.you.role === 'host' && room.backstageOf === null && member.role === 'member') {
      const invited = room.backstageInvited.includes(member.name);
      const invite = tool(t(invited ? 'room.invited_backstage' : 'room.invite_backstage'), 'room-backstage-invite', who, () =>
        void actions.inviteToBackstage(target, member.name),
      );
      invite.disabled = invited;
      tools.push(invite);
    }
    if (canModerate(room.you, member)) {
      if (muted) tools.push(tool(t('room.unmute'), 'room-unmute', who, () => void actions.mute(target, member.name, 0)));
      else for (const m of MUTES) tools.push(tool(t(m.label), m.testid, who, () => void actions.mute(target, member.name, m.ms)));
      tools.push(
        tool(t('contacts.remove'), 'room-kick', who, () => {
          void confirm({
            title: t('room.kick_title', { name: member.name }),
            text: t('room.kick_text'),
            confirm: t('contacts.remove'),
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

  let shownMembers: readonly RoomMemberInfo[] | null = null;
  let shownInvited: readonly string[] | null = null;
  /** When a shown member's mute ends: the list is drawn again then, without its "muted" mark. */
  let redrawAt = Infinity;
  const draw = (room: JoinedRoom) => {
    memberList.replaceChildren(...room.members.map((m) => memberItem(room, m)));
    shownMembers = room.members;
    shownInvited = room.backstageInvited;
    redrawAt = nextMuteEnd(room.members, Date.now());
  };

  return {
    render(room) {
      const count = t('room.people', { count: room.members.length });
      toggle.textContent = count;
      panelTitle.textContent = count;
      if (room.members !== shownMembers || room.backstageInvited !== shownInvited) draw(room);
    },
    tick(room) {
      if (room && Date.now() >= redrawAt) draw(room);
    },
    reset() {
      setDrawer(false);
      shownMembers = null;
      shownInvited = null;
    },
    setDrawer,
  };
}

