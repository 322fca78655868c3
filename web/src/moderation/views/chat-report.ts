/**
 * "Report" for the one-to-one chat: in the chat's bar while it lasts and after
 * it ended, and on the start screen after leaving, for as long as the server
 * still accepts a report of that partner (REPORT_WINDOW_MS after the chat).
 */
import { byTestId, show } from '../../app/dom';
import type { Store } from '../../app/state';
import { canReportChat } from '../report';
import type { OpenReport } from './report-dialog';

export interface ChatReport {
  /** The last chat's partner was reported: no more Report for that chat. */
  markReported(): void;
}

export function mountChatReport(store: Store, openReport: OpenReport, windowMs: number, now = () => Date.now()): ChatReport {
  const inChat = byTestId<HTMLButtonElement>('report');
  const late = byTestId('report-late');
  const lateButton = byTestId<HTMLButtonElement>('report-late-open');
  /** The chat the buttons are about, when it ended, and whether it was reported. */
  let roomId: string | null = null;
  let endedAt: number | null = null;
  let reported = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const render = () => {
    const { phase, link } = store.get();
    const chatting = phase === 'chatting';
    const open = roomId !== null && !reported && link !== 'banned' && canReportChat(chatting, endedAt, now(), windowMs);
    show(inChat, open && (chatting || phase === 'partner-left'));
    show(late, open && phase === 'idle');
  };

  const open = () => void openReport({ kind: 'chat' });
  inChat.addEventListener('click', open);
  lateButton.addEventListener('click', open);

  store.subscribe((state, previous) => {
    if (state.phase === 'chatting' && state.room && state.room.id !== roomId) {
      roomId = state.room.id;
      endedAt = null;
      reported = false;
      clearTimeout(timer);
    }
    if (previous.phase === 'chatting' && state.phase !== 'chatting' && roomId !== null && endedAt === null) {
      endedAt = now();
      clearTimeout(timer);
      timer = setTimeout(render, windowMs + 50);
    }
    render();
  });

  return {
    markReported() {
      reported = true;
      clearTimeout(timer);
      render();
    },
  };
}
