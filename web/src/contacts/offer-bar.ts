/** What the "Keep in touch" bar says and offers for each state of an offer. Pure, no DOM. */
import type { Offer } from './contacts-state';
import { t } from '../i18n/i18n';

export interface BarView {
  text: string;
  button: string;
  /** The button does something (not "Offered", not "Saving…"). */
  enabled: boolean;
  state: 'none' | 'theirs' | 'sending' | 'offered' | 'connected';
}

/** The words and the button of the bar for an offer. */
export function barFor(offer: Offer, ended: boolean): BarView {
  if (offer.mine === 'connected') {
    return { text: t('keep.connected'), button: t('keep.open_contacts'), enabled: true, state: 'connected' };
  }
  if (offer.mine === 'sending') return { text: t('keep.asking'), button: t('keep.button'), enabled: false, state: 'sending' };
  if (offer.mine === 'offered') {
    return {
      text: ended ? t('keep.offered_ended') : t('keep.offered'),
      button: t('keep.offered_button'),
      enabled: false,
      state: 'offered',
    };
  }
  if (offer.theirs) {
    return { text: t('keep.theirs'), button: t('keep.accept'), enabled: true, state: 'theirs' };
  }
  return {
    text: ended ? t('keep.offer_ended') : t('keep.offer'),
    button: t('keep.button'),
    enabled: true,
    state: 'none',
  };
}
