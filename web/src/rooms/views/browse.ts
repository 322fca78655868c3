/**
 * The rooms list screen: rooms joined (each with its unread count), public rooms with member counts
 * (refreshed while shown; the ones with people first, the empty ones folded
 * under "Quiet rooms"), creating a room (asking first when an active public
 * room has the same title), joining by link, and the name to use.
 */
import type { RoomInfo, RoomVisibility } from '@parley/protocol';
import { byTestId, el, setMessage, setMixedText, show, userText } from '../../app/dom';
import { formatCount } from '../../app/format';
import type { RoomActions } from '../rooms-controller';
import { codeFromLink } from '../room-timeline';
import { activeAgo, activeDuplicate, splitByActivity } from '../room-list';
import type { RoomsState, RoomsStateStore } from '../rooms-state';
import { readRoomName } from '../saved-rooms';
import type { AskDuplicate } from './duplicate-prompt';
import { t } from '../../i18n/i18n';

/** How often the public list is read again while it is on screen. */
const REFRESH_MS = 10_000;

function members(n: number): string {
  return t('rooms.people', { count: n });
}

function roomItem(room: RoomInfo, joined: boolean, onOpen: () => void, testId: string, now?: number, unread = 0): HTMLLIElement {
  const item = el('li', 'room-item');
  item.dataset.testid = testId;
  item.dataset.code = room.code;
  const text = el('div', 'room-item-text');
  const heading = userText('p', 'room-item-title', room.title);
  if (unread > 0) {
    const badge = el('span', 'room-unread', unread > 99 ? '99+' : formatCount(unread));
    badge.dataset.testid = 'room-unread';
    badge.dataset.count = String(unread);
    badge.setAttribute('aria-label', t('rooms.unread', { count: unread }));
    heading.append(' ', badge);
  }
  text.append(heading);
  const activity = now === undefined || room.lastActiveAt === undefined ? null : activeAgo(room.lastActiveAt, now);
  const sub = el('p', 'room-item-sub');
  setMixedText(sub, [
    ...(room.topic ? [{ user: `#${room.topic}` }] : []),
    ...(room.visibility === 'private' ? ['private'] : []),
    members(room.members),
    ...(activity ? [activity] : []),
  ]);
  sub.dataset.testid = 'room-item-members';
  sub.dataset.members = String(room.members);
  text.append(sub);
  const button = el('button', `btn ${joined ? 'btn-secondary' : 'btn-primary'} btn-sm`, joined ? t('rooms.open') : t('rooms.join'));
  button.type = 'button';
  button.dataset.testid = 'room-item-join';
  button.setAttribute('aria-label', t(joined ? 'rooms.open_named' : 'rooms.join_named', { title: room.title }));
  button.addEventListener('click', onOpen);
  item.append(text, button);
  return item;
}

function closedNotice(state: RoomsState): string | null {
  const closed = state.closed;
  if (!closed) return null;
  if (closed.reason === 'left') return t('rooms.closed_left', { title: closed.title });
  return closed.reason === 'kicked'
    ? t('rooms.closed_kicked', { title: closed.title })
    : t('rooms.closed_gone', { title: closed.title });
}

export function mountBrowse(store: RoomsStateStore, actions: RoomActions, askDuplicate: AskDuplicate): void {
  const list = byTestId<HTMLUListElement>('rooms-list');
  const quiet = byTestId<HTMLDetailsElement>('quiet-rooms');
  const quietList = byTestId<HTMLUListElement>('quiet-rooms-list');
  const quietSummary = byTestId('quiet-rooms-summary');
  const listStatus = byTestId('rooms-list-status');
  const mine = byTestId<HTMLUListElement>('my-rooms');
  const mineCard = byTestId('my-rooms-card');
  const notice = byTestId('rooms-notice');
  const error = byTestId('rooms-error');
  const createForm = byTestId<HTMLFormElement>('room-create-form');
  const createButton = byTestId<HTMLButtonElement>('room-create');
  const title = byTestId<HTMLInputElement>('room-title-input');
  const topic = byTestId<HTMLInputElement>('room-topic-input');
  const linkForm = byTestId<HTMLFormElement>('room-link-form');
  const link = byTestId<HTMLInputElement>('room-link-input');
  const name = byTestId<HTMLInputElement>('room-name-input');
  const browse = byTestId('rooms-browse');

  name.value = readRoomName();
  name.addEventListener('input', () => actions.setName(name.value));
  byTestId('rooms-refresh').addEventListener('click', () => void actions.refreshList());

  createForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!title.value.trim()) {
      store.set({ error: { scope: 'browse', text: t('rooms.title_missing') } });
      title.focus();
      return;
    }
    const visibility = (createForm.elements.namedItem('visibility') as RadioNodeList).value as RoomVisibility;
    void (async () => {
      const twin = activeDuplicate(store.get().list ?? [], title.value, visibility);
      const choice = twin ? await askDuplicate(twin.title, twin.members) : 'create';
      if (choice === 'cancel') return title.focus();
      if (choice === 'join') await actions.join(twin!.code);
      else await actions.create(title.value, topic.value, visibility);
      if (!store.get().error) createForm.reset();
    })();
  });

  linkForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = codeFromLink(link.value);
    if (!code) {
      store.set({ error: { scope: 'browse', text: t('rooms.link_malformed') } });
      return;
    }
    link.value = '';
    void actions.join(code);
  });

  let timer: ReturnType<typeof setInterval> | undefined;
  store.subscribe((state, previous) => {
    const visible = state.tab === 'rooms' && state.active === null;
    show(browse, visible);
    // Back from a room, the list starts at the top, with one's rooms, not where a form below was last filled in.
    if (visible && previous.active !== null && state.active === null) browse.scrollTop = 0;
    if (visible && !timer) timer = setInterval(() => void actions.refreshList(), REFRESH_MS);
    if (!visible && timer) {
      clearInterval(timer);
      timer = undefined;
    }
    createButton.disabled = state.busy;
    setMessage(notice, closedNotice(state));
    setMessage(error, state.error?.scope === 'browse' ? state.error.text : null);

    if (state.joined !== previous.joined || state.list !== previous.list || state === previous) {
      const joinedRooms = [...state.joined.values()];
      mine.replaceChildren(
        ...joinedRooms.map((r) => roomItem(r.info, true, () => actions.open(r.info.code), 'my-room', undefined, r.unread)),
      );
      show(mineCard, joinedRooms.length > 0);
      const { active, quiet: empty } = splitByActivity(state.list ?? []);
      const now = Date.now();
      const item = (r: RoomInfo) => roomItem(r, state.joined.has(r.code), () => void actions.join(r.code), 'room-item', now);
      list.replaceChildren(...active.map(item));
      quietList.replaceChildren(...empty.map(item));
      quietSummary.textContent = t('rooms.quiet', { count: empty.length });
      show(quiet, empty.length > 0);
    }
    const listed = state.list ?? [];
    setMessage(
      listStatus,
      state.listFailed
        ? t('rooms.list_failed')
        : state.list === null
          ? t('page.loading_rooms')
          : listed.length === 0
            ? t('rooms.none')
            : listed.every((r) => r.members === 0)
              ? t('rooms.all_quiet')
              : null,
    );
  });
}
