/**
 * "Keep in touch" in the one-to-one chat (under the chat's bar) and, for a
 * few minutes after a chat the person left, on the start screen. Says what
 * each side did: the partner's offer (one tap accepts), "offered", "connected".
 */
import { byTestId, show } from '../../app/dom';
import type { Store } from '../../app/state';
import type { ContactsState, ContactsStateStore } from '../contacts-state';
import type { OfferActions } from '../keep-in-touch';
import { barFor } from '../offer-bar';

function mountBar(
  ids: { bar: string; text: string; button: string },
  visible: (state: ContactsState, chat: ReturnType<Store['get']>) => boolean,
  store: ContactsStateStore,
  chat: Store,
  actions: OfferActions,
  openContacts: () => void,
): void {
  const bar = byTestId(ids.bar);
  const text = byTestId(ids.text);
  const button = byTestId<HTMLButtonElement>(ids.button);
  button.addEventListener('click', () => {
    if (store.get().offer?.mine === 'connected') openContacts();
    else void actions.keepInTouch();
  });
  const draw = () => {
    const state = store.get();
    const offer = state.offer;
    const on = !!offer && visible(state, chat.get());
    show(bar, on);
    if (!offer || !on) return;
    const view = barFor(offer, offer.endedAt !== null);
    const error = state.error?.scope === 'offer' ? state.error.text : null;
    bar.dataset.state = view.state;
    bar.dataset.level = error ? 'error' : 'ok';
    text.textContent = error ?? view.text;
    button.textContent = view.button;
    button.disabled = !view.enabled;
    // The partner's offer is the one thing to act on: its Accept stands out.
    button.classList.toggle('btn-primary', view.state === 'theirs');
    button.classList.toggle('btn-secondary', view.state !== 'theirs');
    button.setAttribute('aria-pressed', String(view.state === 'offered' || view.state === 'connected'));
  };
  store.subscribe(draw);
  chat.subscribe(draw);
}

export function mountKeepBars(store: ContactsStateStore, chat: Store, actions: OfferActions, openContacts: () => void): void {
  mountBar(
    { bar: 'keep-bar', text: 'keep-text', button: 'keep-in-touch' },
    (_, c) => c.phase === 'chatting' || c.phase === 'partner-left',
    store,
    chat,
    actions,
    openContacts,
  );
  // After leaving with Leave or Block the start screen shows; the offer still works there for a while.
  mountBar(
    { bar: 'keep-bar-late', text: 'keep-text-late', button: 'keep-in-touch-late' },
    (s, c) => c.phase === 'idle' && c.endReason === 'you-left' && s.offer?.endedAt !== null,
    store,
    chat,
    actions,
    openContacts,
  );
}
