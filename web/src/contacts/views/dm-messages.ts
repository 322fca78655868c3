/**
 * The messages of the open conversation, oldest first, with "Seen" under the
 * newest own message the contact has read. Scrolling near the top reads the
 * page before the oldest message held (the reader's place is kept); new
 * messages keep the view at the bottom unless the reader scrolled up.
 */
import type { Contact } from '@parley/protocol';
import { byTestId, el, show, userText } from '../../app/dom';
import { formatDay, formatTime } from '../../app/format';
import type { ContactActions } from '../contacts-controller';
import type { Conversation, ContactsStateStore, PendingDm } from '../contacts-state';
import { olderDmQuery, seenMarkId, type DmMessage } from '../dm-log';
import type { OpenReport } from '../../moderation/views/report-dialog';
import { t } from '../../i18n/i18n';

/** Within this many pixels of the top, older messages are fetched. */
const LOAD_OLDER_PX = 120;
/** Within this many pixels of the bottom counts as "at the bottom". */
const STICKY_PX = 80;

function timeNode(at: number): HTMLTimeElement {
  const sameDay = new Date(at).toDateString() === new Date().toDateString();
  const time = el('time', 'msg-time', sameDay ? formatTime(at) : t('time.day_and_time', { day: formatDay(at), time: formatTime(at) }));
  time.dateTime = new Date(at).toISOString();
  return time;
}

function bubble(text: string, who: string): HTMLParagraphElement {
  const node = el('p', 'bubble');
  node.append(el('span', 'visually-hidden', t('dm.said', { who })), userText('span', 'bubble-text', text));
  return node;
}

export function mountDmMessages(store: ContactsStateStore, actions: ContactActions, retentionDays: number, report?: OpenReport): void {
  const list = byTestId<HTMLOListElement>('dm-messages');
  const jump = byTestId<HTMLButtonElement>('dm-jump-latest');
  const older = el('li', 'room-older');
  const olderButton = el('button', 'btn btn-ghost btn-sm', t('dm.load_older'));
  olderButton.type = 'button';
  olderButton.dataset.testid = 'dm-load-older';
  older.append(olderButton);
  const start = el('li', 'system');
  start.dataset.testid = 'dm-start';
  const loading = el('li', 'system', t('dm.loading'));

  let shown: { contact: Contact; conversation: Conversation | undefined } | null = null;
  /** Ids of the messages this page reported. */
  const reported = new Set<string>();

  const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < STICKY_PX;
  const scrollToEnd = () => {
    list.scrollTop = list.scrollHeight;
    show(jump, false);
  };
  const loadOlder = () => {
    const c = shown?.conversation;
    if (shown && c?.fresh && !c.loadingOlder && olderDmQuery(c.log)) void actions.loadOlder(shown.contact.contactId);
  };

  const renderMessage = (contact: Contact, m: DmMessage, seen: boolean): HTMLLIElement => {
    const item = el('li', `msg ${m.mine ? 'msg-me' : 'msg-partner'}`);
    item.dataset.testid = 'dm-message';
    item.dataset.id = m.id;
    item.dataset.from = m.mine ? 'me' : 'contact';
    item.dataset.read = String(m.readAt !== null);
    item.append(bubble(m.text, m.mine ? t('dm.you') : contact.nickname));
    const meta = el('p', 'msg-meta');
    meta.append(timeNode(m.sentAt));
    if (seen) {
      const mark = el('span', 'msg-seen', t('dm.seen'));
      mark.dataset.testid = 'dm-seen';
      meta.append(document.createTextNode(' · '), mark);
    }
    if (!m.mine && report) {
      const button = el('button', 'msg-action', reported.has(m.id) ? t('dm.reported') : t('page.report'));
      button.type = 'button';
      button.dataset.testid = 'dm-report';
      button.disabled = reported.has(m.id);
      button.setAttribute('aria-label', t('report.title_message', { name: contact.nickname }));
      button.addEventListener('click', () => {
        void report({ kind: 'dm', contactId: contact.contactId, id: m.id, name: contact.nickname, text: m.text }).then((sent) => {
          if (!sent) return;
          reported.add(m.id);
          button.textContent = t('dm.reported');
          button.disabled = true;
        });
      });
      meta.append(button);
    }
    item.append(meta);
    return item;
  };

  const renderPending = (contactId: string, p: PendingDm): HTMLLIElement => {
    const item = el('li', 'msg msg-me');
    item.dataset.testid = 'dm-message';
    item.dataset.from = 'me';
    item.dataset.status = p.status;
    item.append(bubble(p.text, t('dm.you')));
    const meta = el('p', 'msg-meta');
    meta.append(timeNode(p.at), document.createTextNode(' · '));
    if (p.status === 'failed') {
      const retry = el('button', 'msg-retry', t('chat.retry'));
      retry.type = 'button';
      retry.addEventListener('click', () => actions.retry(contactId, p.key));
      meta.append(el('span', 'msg-delivery msg-failed', t('chat.not_sent')), document.createTextNode(' '), retry);
    } else meta.append(el('span', 'msg-delivery', t('chat.sending')));
    item.append(meta);
    return item;
  };

  const render = (contact: Contact, conversation: Conversation | undefined) => {
    const previous = shown;
    const same = previous?.contact.contactId === contact.contactId;
    const stick = !same || atBottom();
    const prevHeight = list.scrollHeight;
    const prevTop = list.scrollTop;
    const log = conversation?.log;
    const children: HTMLLIElement[] = [];
    if (!conversation?.fresh && !log?.messages.length) children.push(loading);
    else if (log && olderDmQuery(log)) {
      olderButton.textContent = conversation?.loadingOlder ? t('dm.loading_older') : t('dm.load_older');
      olderButton.disabled = !!conversation?.loadingOlder;
      children.push(older);
    } else {
      start.textContent = t('dm.start', { name: contact.nickname, days: retentionDays });
      children.push(start);
    }
    const seenId = log ? seenMarkId(log) : null;
    for (const m of log?.messages ?? []) children.push(renderMessage(contact, m, m.id === seenId));
    for (const p of conversation?.pending ?? []) children.push(renderPending(contact.contactId, p));
    list.replaceChildren(...children);

    const prevLog = previous?.conversation?.log;
    const grewOlder = same && !!prevLog?.messages[0] && log?.messages[0]?.id !== prevLog.messages[0].id &&
      (log?.messages[0]?.sentAt ?? 0) < prevLog.messages[0].sentAt;
    const mine = (conversation?.pending.length ?? 0) > (previous?.conversation?.pending.length ?? 0);
    const grewNewer = (log?.messages.length ?? 0) > (prevLog?.messages.length ?? 0);
    if (grewOlder) list.scrollTop = prevTop + (list.scrollHeight - prevHeight);
    else if (stick || mine) scrollToEnd();
    else if (grewNewer) show(jump, true);
    else list.scrollTop = prevTop;
    shown = { contact, conversation };
  };

  olderButton.addEventListener('click', loadOlder);
  jump.addEventListener('click', scrollToEnd);
  list.addEventListener('scroll', () => {
    if (!jump.hidden && atBottom()) show(jump, false);
    if (list.scrollTop < LOAD_OLDER_PX) loadOlder();
  });

  store.subscribe((state) => {
    const contact = state.active ? state.contacts.get(state.active) : undefined;
    if (!contact) {
      shown = null;
      return;
    }
    const conversation = state.conversations.get(contact.contactId);
    if (shown?.contact === contact && shown.conversation === conversation) return;
    if (shown?.contact.contactId === contact.contactId && shown.conversation === conversation &&
      shown.contact.nickname === contact.nickname) {
      shown = { contact, conversation };
      return;
    }
    render(contact, conversation);
  });
}
