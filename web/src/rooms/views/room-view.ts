/**
 * The room screen around the message list: the bar (back, copy link, people,
 * leave), the member list (a drawer on phones, with reporting the room),
 * typing names, the reply being written and the composer.
 */
import type { RoomMemberInfo } from '@parley/protocol';
import { byTestId, el, setMessage, setMixedText, show, userText } from '../../app/dom';
import { formatCount, typingParts } from '../../app/format';
import type { Settings } from '../../app/settings';
import type { OpenReport } from '../../moderation/views/report-dialog';
import { bindComposer, composerParts } from '../../ui/composer';
import type { RoomActions } from '../rooms-controller';
import { excerpt, findBySeq } from '../room-timeline';
import type { JoinedRoom, RoomsStateStore } from '../rooms-state';
import type { Confirm } from '../../ui/confirm';

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
  const cancel = byTestId<HTMLButtonElement>('room-reply-cancel');
  let code: string | null = null;
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

  const memberItem = (room: JoinedRoom, member: RoomMemberInfo): HTMLLIElement => {
    const item = el('li', 'member');
    item.dataset.testid = 'room-member';
    item.dataset.name = member.name;
    const you = member.name === room.you.name;
    const label = userText('span', 'member-name', member.name);
    item.append(label);
    if (you) item.append(el('span', 'member-tag', 'you'));
    if (member.host) item.append(el('span', 'member-tag member-host', 'host'));
    if (room.you.host && !you) {
      const kick = el('button', 'btn btn-ghost btn-sm btn-danger-text member-kick', 'Remove');
      kick.type = 'button';
      kick.dataset.testid = 'room-kick';
      kick.setAttribute('aria-label', `Remove ${member.name} from the room`);
      kick.addEventListener('click', () => {
        const target = room.info.code;
        void confirm({
          title: `Remove ${member.name}?`,
          text: 'They leave the room at once and can’t come back for a while.',
          confirm: 'Remove',
        }).then((yes) => {
          if (yes) void actions.kick(target, member.name);
        });
      });
      item.append(kick);
    }
    return item;
  };

  let shownMembers: readonly RoomMemberInfo[] | null = null;
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
      code = room.info.code;
      showReported();
      if (previous.active !== state.active) setTimeout(() => composer.focus({ preventScroll: true }));
    }
    title.textContent = room.info.title;
    setMixedText(sub, [
      ...(room.info.topic ? [{ user: `#${room.info.topic}` }] : []),
      room.info.visibility === 'private' ? 'Private room' : 'Public room',
      'you’re ',
    ]);
    // The name after the line (the line keeps its nodes while it is unchanged).
    const shownName = sub.lastElementChild?.classList.contains('room-sub-name') ? sub.lastElementChild : null;
    if (!shownName) sub.append(userText('bdi', 'room-sub-name', room.you.name));
    else if (shownName.textContent !== room.you.name) shownName.textContent = room.you.name;
    const count = `People (${formatCount(room.members.length)})`;
    toggle.textContent = count;
    panelTitle.textContent = count;
    if (room.members !== shownMembers) {
      memberList.replaceChildren(...room.members.map((m) => memberItem(room, m)));
      shownMembers = room.members;
    }
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
