/**
 * The searching screen: what is being tried, the random fallback made
 * visible, why a wait goes on when everyone searching is someone this user
 * may not meet again (with rooms to try meanwhile), and Cancel.
 */
import type { ChatActions } from '../chat-controller';
import { byTestId, el, setMessage, show, userText } from '../../app/dom';
import { keptApartText } from '../../app/format';
import type { Store } from '../../app/state';
import { t } from '../../i18n/i18n';

export function mountSearch(store: Store, actions: ChatActions): void {
  const detail = byTestId('search-interests');
  const chips = byTestId<HTMLUListElement>('search-chips');
  const fallback = byTestId('search-fallback');
  const keptApart = byTestId('search-kept-apart');
  const keptApartLine = byTestId('search-kept-apart-text');
  const error = byTestId('search-error');
  byTestId('cancel').addEventListener('click', () => actions.cancel());
  // The search goes on in the background while the rooms are open.
  byTestId('search-try-rooms').addEventListener('click', () => byTestId('tab-rooms').click());

  store.subscribe((state, previous) => {
    if (state.searchInterests !== previous.searchInterests || state.widened !== previous.widened || !chips.dataset.ready) {
      chips.dataset.ready = '1';
      const tried = state.searchInterests;
      detail.textContent = tried.length === 0
        ? t('search.anyone')
        : state.widened
          ? t('search.still_hoping')
          : t('search.trying');
      chips.replaceChildren(...tried.map((i) => userText('li', 'chip chip-static', i)));
      show(chips, tried.length > 0);
    }
    const status = state.phase === 'searching' ? state.searchStatus : null;
    const alone = !!status && status.others > 0 && status.eligible === 0;
    if (alone) keptApartLine.textContent = keptApartText(status.others);
    show(keptApart, alone);
    show(fallback, state.phase === 'searching' && state.widened && !alone);
    setMessage(error, state.error?.scope === 'search' ? state.error.text : null);
  });
}
