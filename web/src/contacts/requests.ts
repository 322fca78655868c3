/** The contacts' and direct messages' socket requests, as promises that never reject. */
import type {
  Contact,
  DmHistoryMessage,
  DmHistoryPayload,
  DmSendPayload,
  KeepInTouchState,
} from '@parley/protocol';
import { ACK_TIMEOUT_MS, settle, type ParleySocket } from '../app/connection';

export function contactRequests(socket: ParleySocket, timeoutMs = ACK_TIMEOUT_MS) {
  const s = () => socket.timeout(timeoutMs);
  return {
    keepInTouch: () => settle<{ state: KeepInTouchState }>(() => s().emitWithAck('keep-in-touch', {})),
    list: () => settle<{ contacts: Contact[] }>(() => s().emitWithAck('contacts-list', {})),
    rename: (contactId: string, nickname: string) =>
      settle(() => s().emitWithAck('contact-rename', { contactId, nickname })),
    remove: (contactId: string) => settle(() => s().emitWithAck('contact-remove', { contactId })),
    block: (contactId: string) => settle(() => s().emitWithAck('contact-block', { contactId })),
    send: (payload: DmSendPayload) =>
      settle<{ message: { id: string; seq: number; sentAt: number } }>(() => s().emitWithAck('dm-send', payload)),
    history: (payload: DmHistoryPayload) =>
      settle<{ messages: DmHistoryMessage[]; hasMore: boolean }>(() => s().emitWithAck('dm-history', payload)),
    read: (contactId: string, upTo: string) => settle(() => s().emitWithAck('dm-read', { contactId, upTo })),
    settings: (appearOffline: boolean) => settle(() => s().emitWithAck('settings', { appearOffline })),
    deleteIdentity: () => settle(() => s().emitWithAck('delete-identity', {})),
    /** Fire and forget, and dropped while offline, like the chat's typing. */
    typing: (contactId: string, isTyping: boolean) => {
      if (socket.connected) socket.emit('dm-typing', { contactId, isTyping });
    },
  };
}

export type ContactRequests = ReturnType<typeof contactRequests>;
