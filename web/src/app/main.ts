/** Entry point: loads the limits, opens the socket, mounts the one-to-one chat's views, the rooms' and the contacts'. */
import { openSocket, requests } from './connection';
import { createChatController } from '../chat/chat-controller';
import { createMessageLog } from '../chat/message-log';
import { loadSettings } from './settings';
import { createStore, INITIAL_STATE } from './state';
import { readInterests } from '../chat/saved-interests';
import { byTestId, focusFirstControl } from './dom';
import { mountHeader } from './views/header';
import { mountStart } from '../chat/views/start';
import { mountSearch } from '../chat/views/search';
import { mountChat } from '../chat/views/chat';
import { mountChatControls } from '../chat/views/chat-controls';
import { mountMessageList } from '../chat/views/message-list';
import { mountComposer } from '../chat/views/chat-composer';
import { mountScreens } from '../chat/views/screens';
import { mountTitle } from '../chat/views/title';
import { mountRooms } from '../rooms/mount';
import { mountContacts } from '../contacts/mount';
import { createProofOfWork } from '../safety/pow';
import { mountRulesGate } from '../safety/rules-gate';
import { reportRequest } from '../moderation/requests';
import { mountBannedPage } from '../moderation/views/banned-page';
import { mountChatReport } from '../moderation/views/chat-report';
import { mountReportDialog } from '../moderation/views/report-dialog';

declare global {
  interface Window {
    /** Read-only view of the page's identity, for support and for tests. */
    parley?: { readonly userId: string | null; readonly state: string };
  }
}

async function main(): Promise<void> {
  const settings = await loadSettings();
  const store = createStore({ ...INITIAL_STATE, interests: readInterests(settings.maxInterests, settings.maxInterestLength) });
  const log = createMessageLog();
  const pow = createProofOfWork(settings.pow, byTestId('pow-check'));
  const socket = openSocket(() => log.lastPartnerId(), undefined, (newIdentity) => pow.solution(newIdentity));
  socket.on('connect_error', (err: Error & { data?: { code?: unknown } }) => {
    if (err.data?.code === 'POW_REQUIRED') pow.markRequired();
  });
  const actions = createChatController(socket, requests(socket), store, log, settings);

  mountHeader(store);
  mountStart(store, actions, settings);
  mountSearch(store, actions);
  mountMessageList(store, log, actions);
  mountComposer(store, actions, settings);
  mountChat(store, actions, mountChatControls(store, actions));
  mountTitle(store, log);
  mountScreens(store);
  const report = mountReportDialog(reportRequest(socket), (subject) => {
    if (subject.kind !== 'chat') return;
    chatReport.markReported();
    actions.reported();
  });
  const chatReport = mountChatReport(store, report, settings.reportWindowMs);
  mountBannedPage(store);
  // After the rules, focus goes to the screen the person came for (an invite's room takes it once joined).
  const rules = mountRulesGate(socket, settings, () => {
    if (!rooms.actions.joiningInvite()) focusFirstControl(document.getElementById('main')!);
  });
  const rooms = mountRooms(socket, store, log, settings, report, rules.accepted);
  mountContacts(socket, store, rooms, settings, report);
  byTestId('reconnect').addEventListener('click', () => actions.reconnectHere());

  const userIdNode = byTestId('user-id');
  store.subscribe((state) => {
    userIdNode.textContent = state.userId ?? '';
  });
  window.parley = Object.freeze({
    get userId() {
      return store.get().userId;
    },
    get state() {
      return byTestId('status').dataset.state ?? 'idle';
    },
  });

  socket.connect();
}

void main();
