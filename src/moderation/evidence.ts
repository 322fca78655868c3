/**
 * Where report evidence comes from: the server's own records, read through
 * the stores' contracts. A chat report points at the reporter's current or
 * most recent partner (within REPORT_WINDOW_MS of the chat's end) and takes
 * that chat's last 50 messages, and for a video chat the call's metadata
 * (when the call started and ended, who turned camera or microphone off or
 * on: never media or signalling), merged in time order; a room report takes the messages around the
 * reported seq (the reporter must be a member); a report about a whole room
 * (public, or private with the reporter a member) names it `room:<code>` and
 * takes its title, topic and last ROOM_CONTEXT messages; a DM report takes the
 * conversation's last 50 messages (the message must be in it).
 */
import type { ReportTarget } from '../protocol';
import type { ContactsStore } from '../store/contacts-store';
import type { EvidenceMessage } from '../store/moderation-store';
import type { RoomsStore } from '../store/rooms-store';
import type { CallNote, CallNoteWhat, CallStore } from '../store/call-store';
import type { ChatStore } from '../store/chat-store';
import type { MatchStore } from '../store/match-store';
import type { EvidenceSource, Found } from './ports';

/** Each call note in the words an operator reads. */
const CALL_NOTE_TEXT: { readonly [W in CallNoteWhat]: string } = {
  'call-started': 'Video call started',
  'call-ended': 'Ended the video call (the chat went on as text)',
  'camera-on': 'Turned the camera on',
  'camera-off': 'Turned the camera off',
  'microphone-on': 'Turned the microphone on',
  'microphone-off': 'Turned the microphone off',
};

/** Call notes kept with a report (the most recent). */
export const EVIDENCE_CALL_NOTES = 50;

/** Messages of a chat or DM conversation kept with a report. */
export const EVIDENCE_MESSAGES = 50;
/** Room messages kept on each side of the reported one. */
export const ROOM_CONTEXT = 10;

export interface EvidenceStores {
  match: Pick<MatchStore, 'getUser'> & Pick<ChatStore, 'chatLog'> & Pick<CallStore, 'callNotes'>;
  rooms: RoomsStore;
  contacts: ContactsStore;
  reportWindowMs: number;
  dmRetentionMs: number;
}

export function createEvidenceSource(stores: EvidenceStores): EvidenceSource {
  const author = (from: string, reporterId: string): EvidenceMessage['author'] => (from === reporterId ? 'reporter' : 'reported');

  async function chat(reporterId: string, now: number): Promise<Found | null> {
    const u = await stores.match.getUser(reporterId);
    const live = u.state === 'chatting' && u.partnerId && u.roomId;
    const partnerId = live ? u.partnerId! : u.lastPartnerId;
    const roomId = live ? u.roomId! : u.lastRoomId;
    if (!partnerId || !roomId) return null;
    if (!live && (u.lastEndedAt === undefined || now - u.lastEndedAt > stores.reportWindowMs)) return null;
    const [chatLog, notes] = await Promise.all([stores.match.chatLog(roomId), stores.match.callNotes(roomId)]);
    const messages: EvidenceMessage[] = chatLog.messages
      .slice(-EVIDENCE_MESSAGES)
      .map((m) => ({ author: author(m.from, reporterId), text: m.text, sentAt: m.sentAt }));
    const calls = notes.slice(-EVIDENCE_CALL_NOTES).map((n: CallNote): EvidenceMessage => ({
      author: n.by === undefined ? 'other' : author(n.by, reporterId),
      text: CALL_NOTE_TEXT[n.what],
      sentAt: n.at,
      kind: 'call',
    }));
    // Stable: a note and a message of the same millisecond keep their order (notes first).
    const evidence = [...calls, ...messages].sort((x, y) => x.sentAt - y.sentAt);
    return { targetId: partnerId, context: { roomId }, evidence };
  }

  async function room(reporterId: string, code: string, seq: number): Promise<Found | null> {
    if (!(await stores.rooms.member(code, reporterId))) return null;
    const around = await stores.rooms.messagesAfter(code, Math.max(0, seq - ROOM_CONTEXT - 1), 2 * ROOM_CONTEXT + 1);
    const reported = around.find((m) => m.seq === seq);
    if (!reported) return null;
    return {
      targetId: reported.from,
      context: { code, seq },
      evidence: around.map((m) => ({
        author: m.from === reported.from ? 'reported' : m.from === reporterId ? 'reporter' : 'other',
        name: m.name,
        text: m.text,
        sentAt: m.sentAt,
        seq: m.seq,
        ...(m.seq === seq ? { reported: true } : {}),
      })),
    };
  }

  async function wholeRoom(reporterId: string, code: string): Promise<Found | null> {
    const info = await stores.rooms.getRoom(code);
    if (!info) return null;
    if (info.visibility === 'private' && !(await stores.rooms.member(code, reporterId))) return null;
    const recent = await stores.rooms.recentMessages(code, ROOM_CONTEXT);
    return {
      targetId: `room:${code}`,
      room: true,
      context: { code, title: info.title, ...(info.topic ? { topic: info.topic } : {}), visibility: info.visibility },
      evidence: recent.map((m) => ({
        author: m.from === reporterId ? 'reporter' : 'other',
        name: m.name,
        text: m.text,
        sentAt: m.sentAt,
        seq: m.seq,
      })),
    };
  }

  async function dm(reporterId: string, contactId: string, id: string, now: number): Promise<Found | null> {
    const contact = await stores.contacts.get(reporterId, contactId);
    if (!contact) return null;
    const page = await stores.contacts.dmPage(contact.pairId, { limit: EVIDENCE_MESSAGES, notBefore: now - stores.dmRetentionMs });
    const reported = page.messages.find((m) => m.id === id && m.from === contact.peerId);
    if (!reported) return null;
    return {
      targetId: contact.peerId,
      context: { contactId, id },
      evidence: page.messages.map((m) => ({
        author: author(m.from, reporterId),
        text: m.text,
        sentAt: m.sentAt,
        ...(m.id === id ? { reported: true } : {}),
      })),
    };
  }

  return (reporterId: string, target: ReportTarget, now: number) => {
    switch (target.kind) {
      case 'chat':
        return chat(reporterId, now);
      case 'room':
        return room(reporterId, target.code, target.seq);
      case 'room-itself':
        return wholeRoom(reporterId, target.code);
      case 'dm':
        return dm(reporterId, target.contactId, target.id, now);
    }
  };
}
