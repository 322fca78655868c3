/** The tab title: counts messages that arrive while the tab is in the background. */
import type { MessageLog } from '../message-log';
import type { Store } from '../../app/state';
import { t } from '../../i18n/i18n';

export function mountTitle(store: Store, log: MessageLog): void {
  const base = document.title;
  let unread = 0;
  const render = () => {
    const { phase } = store.get();
    const prefix = unread > 0 ? `(${unread}) ` : '';
    document.title = phase === 'partner-left' && document.hidden ? t('title.chat_ended', { title: base }) : `${prefix}${base}`;
  };
  log.subscribe((change) => {
    if (change.type === 'add' && change.message.from === 'partner' && document.hidden) {
      unread++;
      render();
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) unread = 0;
    render();
  });
  store.subscribe(render);
}
