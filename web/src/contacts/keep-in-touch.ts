/**
 * "Keep in touch" for the one-to-one chat: follows the chat's store to know
 * which chat an offer belongs to and when it ended, asks the server, and
 * shows the partner's offer. The server accepts an offer during the chat and
 * for `contactOfferMs` after it.
 */
import type { ParleyClient } from '../app/connection';
import { describe } from '../app/errors';
import type { Store } from '../app/state';
import { nextOffer, offerOpen, type ContactsStateStore, type Offer } from './contacts-state';
import type { ContactRequests } from './requests';
import { t } from '../i18n/i18n';

export interface OfferActions {
  /** Asks to keep in touch with the current or last partner (also accepts their offer). */
  keepInTouch(): Promise<void>;
}

export function createOfferController(
  client: ParleyClient,
  api: ContactRequests,
  store: ContactsStateStore,
  chat: Store,
  windowMs: number,
  now: () => number = Date.now,
): OfferActions {
  let expiry: ReturnType<typeof setTimeout> | undefined;

  const setOffer = (offer: Offer | null) => {
    if (offer === store.get().offer) return;
    store.set({ offer });
    clearTimeout(expiry);
    // Once the window closes the offer is gone, unless it already made a contact.
    if (offer?.endedAt != null && offer.mine !== 'connected') {
      expiry = setTimeout(() => {
        const current = store.get().offer;
        if (current && current.roomId === offer.roomId && !offerOpen(current, now(), windowMs) && current.mine !== 'connected') {
          store.set({ offer: null });
        }
      }, Math.max(0, offer.endedAt + windowMs - now()));
    }
  };

  chat.subscribe((state) => {
    const roomId = state.room?.id ?? state.lastRoomId;
    setOffer(nextOffer(store.get().offer, { phase: state.phase, roomId }, now()));
  });

  client.on('keep-in-touch-offered', ({ roomId }) => {
    const offer = store.get().offer;
    if (offer?.roomId === roomId) {
      if (!offer.theirs) setOffer({ ...offer, theirs: true });
      return;
    }
    // The partner of a chat this page no longer tracks (e.g. after a reload): only the last chat counts.
    const { room, lastRoomId, phase } = chat.get();
    if ((room?.id ?? lastRoomId) !== roomId) return;
    setOffer({ roomId, mine: 'none', theirs: true, endedAt: phase === 'chatting' ? null : now() });
  });

  client.on('contact-added', () => {
    const offer = store.get().offer;
    if (offer && (offer.mine === 'offered' || offer.mine === 'sending')) setOffer({ ...offer, mine: 'connected' });
  });

  return {
    async keepInTouch() {
      const offer = store.get().offer;
      if (!offer || offer.mine === 'sending' || offer.mine === 'connected') return;
      if (!offerOpen(offer, now(), windowMs)) {
        store.set({ error: { scope: 'offer', text: t('keep.too_late') } });
        return;
      }
      const before = offer.mine;
      setOffer({ ...offer, mine: 'sending' });
      if (store.get().error?.scope === 'offer') store.set({ error: null });
      const outcome = await api.keepInTouch();
      const current = store.get().offer;
      if (current?.roomId !== offer.roomId) return;
      if (outcome.ok) {
        // contact-added may have come before the ack: never step back from "connected".
        if (current.mine !== 'connected') setOffer({ ...current, mine: outcome.state });
        return;
      }
      setOffer({ ...current, mine: before });
      const text =
        outcome.problem === 'NOT_ALLOWED' || outcome.problem === 'NOT_IN_CHAT'
          ? t('keep.not_any_more')
          : describe(outcome.problem);
      store.set({ error: { scope: 'offer', text } });
    },
  };
}
