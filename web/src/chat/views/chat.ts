/** The chat screen around the list and the composer: the bar, the typing line and the end-of-chat notice. */
import type { ChatActions } from '../chat-controller';
import { byTestId, setMessage, setMixedText, show } from '../../app/dom';
import { fillParts, formatTime, listParts, mark } from '../../app/format';
import type { EndReason, Store } from '../../app/state';
import { mountBlockDialog } from './block-dialog';
import type { ChatControls } from './chat-controls';
import { t, type MessageKey } from '../../i18n/i18n';

const PARTNER_LEFT_TEXT: Partial<Record<EndReason, MessageKey>> = {
  left: 'chat.ended_left',
  skipped: 'chat.ended_skipped',
  disconnected: 'chat.ended_disconnected',
  'connection-lost': 'chat.ended_connection_lost',
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
      setMixedText(sub, room.commonInterests.length ? fillParts(t('chat.also_likes', { interests: mark(0) }), listParts(room.commonInterests)) : [t('chat.random_match')], '');
      sub.title = t('chat.since', { time: formatTime(room.startedAt) });
    }
    show(next, !over);
    show(leave, !over);
    show(typing, state.phase === 'chatting' && state.partnerTyping && !state.partnerAway);
    show(away, state.phase === 'chatting' && state.partnerAway);
    show(ended, over);
    show(composer, !over);
    endedText.textContent = over ? t(PARTNER_LEFT_TEXT[state.endReason ?? 'left'] ?? 'chat.ended_left') : '';
    setMessage(error, state.error?.scope === 'chat' ? state.error.text : null);
  });
}
