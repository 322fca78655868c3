/**
 * A toast for a message that mentions you in a room that is not on screen:
 * who, where and what, with Open (shows the room) and a close button. It goes
 * by itself after a few seconds (the controller's timer).
 */
import { byTestId, show, userText } from '../../app/dom';
import { excerpt } from '../room-timeline';
import { fillParts, mark } from '../../app/format';
import type { RoomActions } from '../rooms-controller';
import type { RoomsStateStore } from '../rooms-state';
import { t } from '../../i18n/i18n';

export function mountMentionToast(store: RoomsStateStore, actions: RoomActions): void {
  const toast = byTestId('room-mention-toast');
  const text = byTestId('room-mention-text');
  byTestId('room-mention-open').addEventListener('click', () => {
    const code = store.get().mention?.code;
    if (code) actions.open(code);
  });
  byTestId('room-mention-close').addEventListener('click', () => actions.dismissMention());

  store.subscribe((state, previous) => {
    if (state.mention === previous.mention) return;
    const mention = state.mention;
    show(toast, mention !== null);
    if (!mention) return;
    toast.dataset.code = mention.code;
    const sentence = fillParts(t('rooms.mentioned', { name: mark(0), title: mark(1) }), [{ user: mention.name }], [{ user: mention.title }]);
    text.replaceChildren(
      ...sentence.map((part) => (typeof part === 'string' ? document.createTextNode(part) : userText('strong', undefined, part.user))),
      document.createTextNode(': '),
      userText('span', undefined, excerpt(mention.text, 80)),
    );
  });
}
