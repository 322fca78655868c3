/**
 * The top of the room screen: the bar (back, copy link, the backstage for the
 * host, co-hosts and invited members, settings for the host, leave; a
 * backstage is labelled as one; on a phone copy link, backstage and settings
 * are in the people drawer), the invitation to the backstage, what the room is
 * about (its description and rules, open at join), and reporting the room.
 */
import { byTestId, setMixedText, show, userText } from '../../app/dom';
import type { OpenReport } from '../../moderation/views/report-dialog';
import type { RoomActions } from '../rooms-controller';
import type { JoinedRoom, RoomsStateStore } from '../rooms-state';
import { bindSettingsDialog } from './room-settings-dialog';
import { t } from '../../i18n/i18n';

export interface RoomHeader {
  render(room: JoinedRoom): void;
  /** Another room is shown. */
  reset(): void;
}

export function bindRoomHeader(
  store: RoomsStateStore,
  actions: RoomActions,
  /** The code of the room shown, if any. */
  shown: () => string | null,
  closeDrawer: () => void,
  report?: OpenReport,
): RoomHeader {
  const view = byTestId('room-view');
  const title = byTestId('room-title');
  const sub = byTestId('room-sub');
  const copy = byTestId<HTMLButtonElement>('room-copy-link');
  const about = byTestId<HTMLDetailsElement>('room-about');
  const description = byTestId('room-description');
  const rulesTitle = byTestId('room-rules-title');
  const rules = byTestId('room-rules');
  const settingsButton = byTestId<HTMLButtonElement>('room-settings-open');
  // On a phone the bar's button gives way to the drawer's, as the backstage's does.
  const settingsInDrawer = byTestId<HTMLButtonElement>('room-settings-open-drawer');
  const backstageButton = byTestId<HTMLButtonElement>('room-backstage-open');
  const backstageLabel = byTestId('room-backstage-label');
  const backstageNotice = byTestId('room-backstage-notice');
  const backstageNoticeText = byTestId('room-backstage-notice-text');
  // The bar's button gives way to the drawer's on a phone.
  const backstageInDrawer = byTestId<HTMLButtonElement>('room-backstage-open-drawer');
  const shownRoom = () => {
    const code = shown();
    return code ? store.get().joined.get(code) : undefined;
  };
  for (const button of [backstageButton, backstageInDrawer, byTestId('room-backstage-notice-open')]) {
    button.addEventListener('click', () => {
      const code = shown();
      if (code) void actions.openBackstage(code);
    });
  }
  /** Rooms whose description and rules were shown open once (at join); later they stay as the user left them. */
  const introduced = new Set<string>();

  byTestId('room-back').addEventListener('click', () => actions.open(null));
  const reportRoom = byTestId<HTMLButtonElement>('room-report-room');
  /** Rooms this page reported: reporting again would only return the same report. */
  const reportedRooms = new Set<string>();
  const showReported = () => {
    const code = shown();
    const done = code !== null && reportedRooms.has(code);
    reportRoom.disabled = done;
    reportRoom.textContent = done ? t('room.reported') : t('page.report_this_room');
  };
  show(reportRoom, report !== undefined);
  reportRoom.addEventListener('click', () => {
    const room = shownRoom();
    if (!room || !report) return;
    void report({ kind: 'room-itself', code: room.info.code, title: room.info.title }).then((sent) => {
      if (!sent) return;
      reportedRooms.add(room.info.code);
      showReported();
    });
  });
  byTestId('room-leave').addEventListener('click', () => {
    const code = shown();
    if (code) void actions.leave(code);
  });
  const copyLink = (button: HTMLButtonElement) => {
    const url = `${window.location.origin}/r/${shown()}`;
    const label = button.textContent;
    const done = () => {
      button.textContent = t('room.link_copied');
      setTimeout(() => (button.textContent = label), 2000);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, () => window.prompt(t('room.invite_link'), url));
    else window.prompt(t('room.invite_link'), url);
  };
  copy.addEventListener('click', () => copyLink(copy));
  const copyInDrawer = byTestId<HTMLButtonElement>('room-copy-link-drawer');
  copyInDrawer.addEventListener('click', () => copyLink(copyInDrawer));

  const openSettings = bindSettingsDialog(actions);
  for (const button of [settingsButton, settingsInDrawer]) {
    button.addEventListener('click', () => {
      const room = shownRoom();
      if (button === settingsInDrawer) closeDrawer();
      if (room) openSettings(room.info.code, room.settings);
    });
  }

  return {
    reset: showReported,
    render(room) {
      title.textContent = room.info.title;
      // Rebuilt only when it changes: the name is appended after the line, so a second pass would add it again.
      const subKey = JSON.stringify([room.info.code, room.info.topic, room.info.visibility, room.you.name, room.backstageOf]);
      if (sub.dataset.key !== subKey) {
        sub.dataset.key = subKey;
        sub.replaceChildren();
        setMixedText(sub, [
          ...(room.info.topic ? [{ user: `#${room.info.topic}` }] : []),
          room.backstageOf !== null ? t('room.backstage_sub') : room.info.visibility === 'private' ? t('room.private') : t('room.public'),
          t('room.you_are'),
        ]);
        sub.append(userText('bdi', undefined, room.you.name));
      }
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
      backstageNoticeText.textContent = room.backstageBy !== null ? t('room.backstage_invited', { name: room.backstageBy }) : '';
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
    },
  };
}
