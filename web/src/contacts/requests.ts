/** The contacts' and direct messages' requests (through the client), as promises that never reject. */
import type { DmHistoryPayload, DmSendPayload } from '@parley/protocol';
import { settle, typingSignal, type ParleyClient } from '../app/connection';

export function contactRequests(client: ParleyClient) {
  return {
    keepInTouch: () => settle(() => client.keepInTouch()),
    list: () => settle(() => client.contacts()),
    rename: (contactId: string, nickname: string) => settle(() => client.renameContact(contactId, nickname)),
    remove: (contactId: string) => settle(() => client.removeContact(contactId)),
    block: (contactId: string) => settle(() => client.blockContact(contactId)),
    /** Queued until acknowledged: waits out a dropped connection and is retried with its clientId, stored once. */
    send: ({ contactId, text, replyTo }: DmSendPayload) =>
      settle(async () => ({ message: await client.sendDm(contactId, text, replyTo ? { replyTo } : {}) })),
    history: (payload: DmHistoryPayload) => settle(() => client.dmHistory(payload)),
    read: (contactId: string, upTo: string) => settle(() => client.markDmRead(contactId, upTo)),
    settings: (appearOffline: boolean) => settle(() => client.settings({ appearOffline })),
    /** The request only: the page then reloads as someone new (the client's deleteIdentity would close it first). */
    deleteIdentity: () => settle(() => client.request('delete-identity', {})),
    typing: (contactId: string, isTyping: boolean) => typingSignal(client, (c) => c.dmTyping(contactId, isTyping)),
  };
}

export type ContactRequests = ReturnType<typeof contactRequests>;
