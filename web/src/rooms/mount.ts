/** Wires the topic rooms into the page: their controller on the page's client, and their views. */
import type { ParleyClient } from '../app/connection';
import type { MessageLog } from '../chat/message-log';
import type { OpenReport } from '../moderation/views/report-dialog';
import type { Settings } from '../app/settings';
import type { Store } from '../app/state';
import { createRoomsController, type RoomActions } from './rooms-controller';
import { inviteCodeOf } from './room-timeline';
import { roomRequests, roomsApi } from './requests';
import { createRoomsStateStore, type RoomsStateStore } from './rooms-state';
import { mountBrowse } from './views/browse';
import { mountBrowseAlerts } from './views/browse-alerts';
import { mountConfirm } from '../ui/confirm';
import { mountDuplicatePrompt } from './views/duplicate-prompt';
import { mountRoomMessages } from './views/room-messages';
import { mountRoomPins } from './views/room-pins';
import { mountMentionToast } from './views/mention-toast';
import { mountRoomView } from './views/room-view';
import { mountTabs } from './views/tabs';

export function mountRooms(
  client: ParleyClient,
  chat: Store,
  log: MessageLog,
  settings: Settings,
  report?: OpenReport,
  /** Resolves once the rules were accepted; rooms are joined after it. */
  rulesAccepted?: () => Promise<void>,
): { store: RoomsStateStore; actions: RoomActions } {
  const store = createRoomsStateStore();
  const invite = inviteCodeOf(window.location.pathname);
  const actions = createRoomsController(client, roomRequests(client), roomsApi, store, settings, invite, rulesAccepted);
  const confirm = mountConfirm();
  mountTabs(store, chat, log, actions);
  mountBrowse(store, actions, mountDuplicatePrompt());
  mountBrowseAlerts(store);
  mountRoomView(store, actions, confirm, settings, report);
  mountRoomPins(store, actions);
  mountRoomMessages(store, actions, confirm, settings, report);
  mountMentionToast(store, actions);
  // An invite link opens on the rooms side at once, while the join is under way.
  if (invite) actions.setTab('rooms');
  return { store, actions };
}
