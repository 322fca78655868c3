/**
 * The full page shown instead of parley when the server refuses this identity
 * or address (BANNED): until when, or for good. Nothing else stays on screen,
 * and nothing reconnects by itself; once a temporary ban is over, one button
 * loads the page again.
 */
import { byTestId, show } from '../../app/dom';
import type { Store } from '../../app/state';
import { banText } from '../banned';
import { t } from '../../i18n/i18n';

export function mountBannedPage(store: Store): void {
  const page = byTestId('banned');
  const app = document.querySelector<HTMLElement>('.app')!;
  const headline = byTestId('banned-headline');
  const detail = byTestId('banned-detail');
  const retry = byTestId<HTMLButtonElement>('banned-retry');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let shown = false;

  retry.addEventListener('click', () => window.location.reload());

  const render = () => {
    const { link, ban } = store.get();
    const banned = link === 'banned' && ban !== null;
    clearTimeout(timer);
    if (banned) {
      const text = banText(ban, Date.now());
      headline.textContent = text.headline;
      detail.textContent = text.detail;
      show(retry, text.over);
      // A temporary ban: the page notices when it is over (timers cap at ~24.8 days).
      if (!text.over && typeof ban.until === 'number') timer = setTimeout(render, Math.min(ban.until - Date.now() + 1000, 2 ** 31 - 1));
      document.title = t('banned.title');
    }
    show(page, banned);
    show(app, !banned);
    page.dataset.until = banned && typeof ban.until === 'number' ? String(ban.until) : banned && ban.until === null ? 'forever' : '';
    if (banned && !shown) {
      document.querySelectorAll<HTMLDialogElement>('dialog[open]').forEach((d) => d.close());
      headline.focus();
    }
    shown = banned;
  };
  store.subscribe(render);
}
