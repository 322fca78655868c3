/** The searching screen: what is being tried, the random fallback made visible, and Cancel. */
import type { Actions } from '../controller';
import { byTestId, el, setMessage, show, userText } from '../dom';
import type { Store } from '../state';

export function mountSearch(store: Store, actions: Actions): void {
  const detail = byTestId('search-interests');
  const chips = byTestId<HTMLUListElement>('search-chips');
  const fallback = byTestId('search-fallback');
  const error = byTestId('search-error');
  byTestId('cancel').addEventListener('click', () => actions.cancel());

  store.subscribe((state, previous) => {
    if (state.searchInterests !== previous.searchInterests || state.widened !== previous.widened || !chips.dataset.ready) {
      chips.dataset.ready = '1';
      const tried = state.searchInterests;
      detail.textContent = tried.length === 0
        ? 'You’ll be paired with the next person who’s free.'
        : state.widened
          ? 'Still hoping for someone who likes'
          : 'Trying people who like';
      chips.replaceChildren(...tried.map((i) => userText('li', 'chip chip-static', i)));
      show(chips, tried.length > 0);
    }
    show(fallback, state.phase === 'searching' && state.widened);
    setMessage(error, state.error?.scope === 'search' ? state.error.text : null);
  });
}
