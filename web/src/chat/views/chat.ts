/** The chat screen around the list and the composer: the bar, the typing line and the end-of-chat notice. */
import type { ChatActions } from '../chat-controller';
import { byTestId, setMessage, setMixedText, show } from '../../app/dom';
import { formatTime, listParts } from '../../app/format';
import type { EndReason, Store } from '../../app/state';
import { mountBlockDialog } from './block-dialog';
import type { ChatControls } from './chat-controls';

const PARTNER_LEFT_TEXT: Partial<Record<EndReason, string>> = {
  left: 'The stranger left the chat.',
  skipped: 'The stranger moved on to someone new.',
  disconnected: 'The stranger lost their connection.',
  'connection-lost': 'Your connection dropped, so this chat ended.',
};

export function mountChat(store: Store, actions: ChatActions, controls: ChatControls): void {
  const sub = byTestId('chat-sub');
  const next = byTestId<HTMLButtonElement>('next');
  const leave = byTestId<HTMLButtonElement>('leave');
  const typing = byTestId('partner-typing');
  const away = byTestId('partner-away');
  const ended = byTestId('partner-left');
  const endedText = byTestId('partner-left-text');
  const composer = byTestId('composer');
  const error = byTestId('chat-error');

  next.addEventListener('click', () => actions.next());
  leave.addEventListener('click', () => actions.leave());
  byTestId('find-new').addEventListener('click', () => actions.findNew());
  byTestId('change-interests').addEventListener('click', () => actions.backToStart());
  const block = byTestId('block');
  mountBlockDialog(block, byTestId<HTMLDialogElement>('block-dialog'), () => actions.block(), () => controls.returnFocus(block));

  store.subscribe((state) => {
    const over = state.phase === 'partner-left';
    const room = state.room;
    if (room) {
      setMixedText(sub, room.commonInterests.length ? ['Also likes ', ...listParts(room.commonInterests)] : ['Random match'], '');
      sub.title = `Chatting since ${formatTime(room.startedAt)}`;
    }
    show(next, !over);
    show(leave, !over);
    show(typing, state.phase === 'chatting' && state.partnerTyping && !state.partnerAway);
    show(away, state.phase === 'chatting' && state.partnerAway);
    show(ended, over);
    show(composer, !over);
    endedText.textContent = over ? (PARTNER_LEFT_TEXT[state.endReason ?? 'left'] ?? PARTNER_LEFT_TEXT.left!) : '';
    setMessage(error, state.error?.scope === 'chat' ? state.error.text : null);
  });
}
