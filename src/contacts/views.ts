/** How stored contacts and messages look to their owner. */
import type { Contact, ContactPresence, DmHistoryMessage } from '../protocol';
import type { ContactRecord, ContactSummary, StoredDm } from '../store/contacts-store';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE_MS = 60_000;

/** "Stranger from 27 Nov": the day of the chat (UTC). */
export function defaultNickname(at: number): string {
  const d = new Date(at);
  return `Stranger from ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** Coarse on purpose: a contact's last-seen time is never finer than the minute. */
export const toMinute = (at: number): number => Math.floor(at / MINUTE_MS) * MINUTE_MS;

export interface PeerView {
  state: ContactPresence;
  lastSeenAt: number | null;
}

export function contactView(c: ContactRecord, peer: PeerView, summary: ContactSummary | undefined): Contact {
  const contact: Contact = {
    contactId: c.contactId,
    nickname: c.nickname,
    online: peer.state === 'online',
    presence: peer.state,
    lastSeenAt: peer.lastSeenAt,
    unread: summary?.unread ?? 0,
  };
  const last = summary?.last;
  if (last) contact.lastMessage = { mine: last.from === c.ownerId, text: last.text, sentAt: last.sentAt };
  return contact;
}

export function historyView(m: StoredDm, viewerId: string): DmHistoryMessage {
  const view: DmHistoryMessage = { seq: m.streamSeq, id: m.id, mine: m.from === viewerId, text: m.text, sentAt: m.sentAt, readAt: m.readAt };
  if (m.replyTo !== undefined) view.replyTo = m.replyTo;
  return view;
}
