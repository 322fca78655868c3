/**
 * The message list: one bubble per message, text set through textContent only.
 * Keeps the view pinned to the newest message unless the reader scrolled up,
 * in which case a "New messages" button appears instead.
 */
import type { ChatActions } from '../chat-controller';
import { byTestId, el, setMixedText, show, userText } from '../../app/dom';
import { fillParts, formatTime, listParts, mark } from '../../app/format';
import type { ChatMessage, LogChange, MessageLog } from '../message-log';
import type { Room, Store } from '../../app/state';
import { t } from '../../i18n/i18n';

/** Messages from one sender closer together than this are drawn as a group. */
const GROUP_WINDOW_MS = 2 * 60_000;
/** Within this many pixels of the bottom counts as "at the bottom". */
const STICKY_PX = 80;

const DELIVERY_TEXT = { sending: 'chat.sending', sent: 'chat.sent', failed: 'chat.not_sent' } as const;

function introFor(room: Room): HTMLLIElement {
  const intro = el('li', 'system');
  intro.dataset.testid = 'common-interests';
  intro.dataset.interests = room.commonInterests.join(',');
  const title = el('strong', 'system-title', t('chat.intro'));
  const detail = el('span', 'system-detail');
  setMixedText(detail, [' ', ...(room.commonInterests.length ? fillParts(t('chat.intro_both_like', { interests: mark(0) }), listParts(room.commonInterests)) : [t('chat.intro_random')])], '');
  intro.append(title, detail);
  return intro;
}

export function mountMessageList(store: Store, log: MessageLog, actions: ChatActions): { scrollToEnd(): void } {
  const list = byTestId<HTMLOListElement>('messages');
  const jump = byTestId<HTMLButtonElement>('jump-latest');
  const nodes = new Map<string, HTMLLIElement>();
  let last: ChatMessage | null = null;
  let lastItem: HTMLLIElement | null = null;
  let roomId: string | null = null;

  const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < STICKY_PX;
  const scrollToEnd = () => {
    list.scrollTop = list.scrollHeight;
    show(jump, false);
  };

  const fillMeta = (meta: HTMLElement, message: ChatMessage) => {
    const time = el('time', 'msg-time', formatTime(message.at));
    time.dateTime = new Date(message.at).toISOString();
    const parts: Node[] = [time];
    if (message.from === 'me') {
      const delivery = el('span', `msg-delivery msg-${message.delivery}`, t(DELIVERY_TEXT[message.delivery]));
      parts.push(document.createTextNode(' · '), delivery);
      if (message.delivery === 'failed') {
        const retry = el('button', 'msg-retry', t('chat.retry'));
        retry.type = 'button';
        retry.addEventListener('click', () => actions.retry(message.key));
        parts.push(document.createTextNode(' '), retry);
      }
    }
    meta.replaceChildren(...parts);
  };

  const render = (message: ChatMessage): HTMLLIElement => {
    const item = el('li', `msg msg-${message.from}`);
    item.dataset.testid = 'message';
    item.dataset.from = message.from;
    item.dataset.key = message.key;
    const who = el('span', 'visually-hidden', message.from === 'me' ? t('chat.you_said') : t('chat.stranger_said'));
    const bubble = el('p', 'bubble');
    bubble.append(who, userText('span', 'bubble-text', message.text));
    item.append(bubble, el('p', 'msg-meta'));
    return item;
  };

  const update = (item: HTMLLIElement, message: ChatMessage) => {
    item.dataset.status = message.delivery;
    fillMeta(item.querySelector<HTMLElement>('.msg-meta')!, message);
  };

  const onChange = (change: LogChange) => {
    if (change.type === 'clear') {
      nodes.clear();
      last = null;
      lastItem = null;
      roomId = null;
      list.replaceChildren();
      show(jump, false);
      return;
    }
    const { message } = change;
    if (change.type === 'update') {
      const item = nodes.get(message.key);
      if (item) update(item, message);
      return;
    }
    const stick = message.from === 'me' || atBottom();
    const item = render(message);
    // A run of messages from one side reads as one block, timed once at its end.
    if (last && lastItem && last.from === message.from && message.at - last.at < GROUP_WINDOW_MS) {
      item.classList.add('msg-grouped');
      lastItem.classList.add('msg-followed');
    }
    update(item, message);
    nodes.set(message.key, item);
    list.append(item);
    last = message;
    lastItem = item;
    if (stick) scrollToEnd();
    else show(jump, true);
  };

  log.subscribe(onChange);
  jump.addEventListener('click', scrollToEnd);
  list.addEventListener('scroll', () => {
    if (!jump.hidden && atBottom()) show(jump, false);
  });

  store.subscribe((state) => {
    // Retrying makes no sense once the chat is over.
    list.classList.toggle('messages-closed', state.phase !== 'chatting');
    // Each chat starts with a line saying what the two people have in common.
    if (state.room && state.room.id !== roomId && state.phase === 'chatting') {
      roomId = state.room.id;
      list.prepend(introFor(state.room));
    }
  });

  return { scrollToEnd };
}
