/** Entry point: loads the limits, opens the connection (@parley/client), mounts the one-to-one chat's views, the rooms' and the contacts'. */
import { openClient, requests } from './connection';
import { createChatController } from '../chat/chat-controller';
import { createMessageLog } from '../chat/message-log';
import { loadSettings } from './settings';
import { createStore, INITIAL_STATE } from './state';
import { readInterests } from '../chat/saved-interests';
import { byTestId, focusFirstControl } from './dom';
import { mountHeader } from './views/header';
import { mountStart } from '../chat/views/start';
import { mountLanguages } from '../chat/views/languages';
import { mountSearch } from '../chat/views/search';
import { mountChat } from '../chat/views/chat';
import { mountChatControls } from '../chat/views/chat-controls';
import { mountMessageList } from '../chat/views/message-list';
import { mountComposer } from '../chat/views/chat-composer';
import { mountScreens } from '../chat/views/screens';
import { mountTitle } from '../chat/views/title';
import { mountRooms } from '../rooms/mount';
import { mountContacts } from '../contacts/mount';
import { createPowSolver } from '../safety/pow';
import { mountRulesGate } from '../safety/rules-gate';
import { reportRequest } from '../moderation/requests';
import { mountBannedPage } from '../moderation/views/banned-page';
import { mountChatReport } from '../moderation/views/chat-report';
import { mountReportDialog } from '../moderation/views/report-dialog';
import { mountLanguageMenu, startLanguage } from '../i18n/page';
import { mountOffline } from '../offline/mount';
import { provideVideo, withFrame } from '../video/loader';
import { t } from '../i18n/i18n';

declare global {
  interface Window {
    /** Read-only view of the page's identity, for support and for tests. */
    parley?: { readonly userId: string | null; readonly state: string };
  }
}

async function main(): Promise<void> {
  // Online (the usual case) the connection opens at once, beside the page's words and limits: on a slow
  // network that is two round trips fewer before the page is live. Its events wait for the page's listeners,
  // added below; release() lets them in.
  const open = () => openClient(window.location.origin, createPowSolver(byTestId('pow-check')));
  let client = navigator.onLine ? open() : undefined;
  // The page's words (from the service worker's shell when there is no network), so the offline banner speaks
  // the page's language; /api/config is already on its way (preloaded by the page).
  await startLanguage();
  mountLanguageMenu(byTestId<HTMLSelectElement>('language-menu'));
  // Opened without a network (from the service worker's shell): say so, and connect once it is back.
  await mountOffline().online();
  client ??= open();
  const settings = await loadSettings();
  const store = createStore({ ...INITIAL_STATE, interests: readInterests(settings.maxInterests, settings.maxInterestLength) });
  const log = createMessageLog();
  const languages = mountLanguages(navigator.languages);
  const actions = createChatController(client, requests(client), store, log, settings, languages.payload);

  mountHeader(store);
  mountStart(store, actions, settings);
  mountSearch(store, actions);
  mountMessageList(store, log, actions);
  mountComposer(store, actions, settings);
  mountChat(store, actions, mountChatControls(store, actions));
  mountTitle(store, log);
  mountScreens(store);
  provideVideo({ client, store, t });
  const sendReport = reportRequest(client);
  const report = mountReportDialog((payload) => sendReport(withFrame(payload)), (subject) => {
    if (subject.kind !== 'chat') return;
    chatReport.markReported();
    actions.reported();
  });
  const chatReport = mountChatReport(store, report, settings.reportWindowMs);
  mountBannedPage(store);
  // After the rules, focus goes to the screen the person came for (an invite's room takes it once joined).
  const rules = mountRulesGate(client, settings, () => {
    if (!rooms.actions.joiningInvite()) focusFirstControl(document.getElementById('main')!);
  });
  const rooms = mountRooms(client, store, log, settings, report, rules.accepted);
  mountContacts(client, store, rooms, settings, report);
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
  // Every listener is in place: what the connection heard meanwhile (the greeting first) comes in now, in order.
  client.release();
}

void main();
