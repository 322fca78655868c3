/** The top bar: the status pill (with data-state, and data-link for the connection), the presence figures, and the connection banner. */
import { byTestId, show } from '../dom';
import { formatPresence } from '../format';
import type { AppState, Store } from '../state';
import { t } from '../../i18n/i18n';

/** The value of `[data-testid=status]`'s data-state. */
export type StatusState = 'idle' | 'searching' | 'chatting' | 'partner-left' | 'reconnecting';

export function statusOf(state: AppState): { state: StatusState; text: string } {
  if (state.link === 'reconnecting') return { state: 'reconnecting', text: t('status.reconnecting') };
  if (state.link === 'replaced') return { state: 'idle', text: t('status.paused') };
  if (state.link === 'banned') return { state: 'idle', text: t('status.banned') };
  if (state.link === 'connecting' && state.phase === 'idle') return { state: 'idle', text: t('status.connecting') };
  switch (state.phase) {
    case 'searching':
      return { state: 'searching', text: t('status.searching') };
    case 'chatting':
      return { state: 'chatting', text: t('status.chatting') };
    case 'partner-left':
      return { state: 'partner-left', text: t('status.ended') };
    default:
      return { state: 'idle', text: t('status.ready') };
  }
}

export function mountHeader(store: Store): void {
  const status = byTestId('status');
  const statusText = status.querySelector<HTMLElement>('.status-text')!;
  const online = byTestId('online-count');
  const onlineTotal = online.querySelector<HTMLElement>('.online-total')!;
  const onlineDetail = online.querySelector<HTMLElement>('.online-detail')!;
  const banner = byTestId('connection-banner');
  const bannerText = banner.querySelector<HTMLElement>('.banner-text')!;

  store.subscribe((state) => {
    const { state: value, text } = statusOf(state);
    if (status.dataset.state !== value) status.dataset.state = value;
    if (status.dataset.link !== state.link) status.dataset.link = state.link;
    if (statusText.textContent !== text) statusText.textContent = text;

    if (state.online) {
      const presence = formatPresence(state.online);
      onlineTotal.textContent = presence.online;
      onlineDetail.textContent = presence.detail;
      online.title = presence.title;
      online.dataset.count = String(state.online.online);
    }
    const offline = state.link === 'reconnecting';
    if (offline) {
      // Before the first session the page has never reached the server: nothing was "lost" yet.
      bannerText.textContent = state.userId ? t('status.connection_lost') : t('status.cannot_reach');
    }
    show(banner, offline);
  });
}
