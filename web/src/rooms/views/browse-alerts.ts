/**
 * The list screen's error and notice sit at its top, often far above what is
 * on screen (the name field and the link form are at the bottom, a phone shows
 * a fraction of the list). When one appears (a name already taken, a join
 * refused, being removed from a room) the view scrolls it to the middle and
 * focus moves to it, so a screen reader reads it (both are role=alert). A
 * notice the server caused leaves focus in a field being typed in.
 */
import { byTestId } from '../../app/dom';
import type { RoomsStateStore } from '../rooms-state';

function typingSomewhere(): boolean {
  const active = document.activeElement;
  return (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) && active.getClientRects().length > 0;
}

function reveal(node: HTMLElement, takeFocus: boolean): void {
  node.scrollIntoView({ block: 'center' });
  if (takeFocus) node.focus({ preventScroll: true });
}

/** Mount after the list screen, so the message is written before it is shown. */
export function mountBrowseAlerts(store: RoomsStateStore): void {
  const notice = byTestId('rooms-notice');
  const error = byTestId('rooms-error');
  store.subscribe((state, previous) => {
    if (state.tab !== 'rooms' || state.active !== null) return;
    if (state.error?.scope === 'browse' && state.error !== previous.error) reveal(error, true);
    else if (state.closed && state.closed !== previous.closed) reveal(notice, !typingSomewhere());
  });
}
