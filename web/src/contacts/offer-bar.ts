/** What the "Keep in touch" bar says and offers for each state of an offer. Pure, no DOM. */
import type { Offer } from './contacts-state';

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
    return { text: 'You keep in touch: find them in Contacts.', button: 'Open contacts', enabled: true, state: 'connected' };
  }
  if (offer.mine === 'sending') return { text: 'Asking…', button: 'Keep in touch', enabled: false, state: 'sending' };
  if (offer.mine === 'offered') {
    return {
      text: ended ? 'You asked to keep in touch. They can still say yes for a few minutes.' : 'You asked to keep in touch. Waiting for the stranger…',
      button: 'Offered',
      enabled: false,
      state: 'offered',
    };
  }
  if (offer.theirs) {
    return { text: 'The stranger would like to keep in touch.', button: 'Accept', enabled: true, state: 'theirs' };
  }
  return {
    text: ended ? 'Liked talking? You can still keep in touch for a few minutes.' : 'Liked talking? Keep in touch, without names.',
    button: 'Keep in touch',
    enabled: true,
    state: 'none',
  };
}
