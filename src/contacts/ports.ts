/**
 * What the contacts rules need from the world, as interfaces: delivery to a
 * user wherever it is connected, what matchmaking knows of its chats and
 * blocks, and the settings the rules follow.
 */
import type { Contact, ContactPresenceEvent, DmEvent } from '../protocol';

/** Delivers contacts events to one user, on any node. */
export interface ContactNotifier {
  offered(userId: string, event: { roomId: string }): void;
  added(userId: string, event: { contact: Contact }): void;
  removed(userId: string, event: { contactId: string }): void;
  presence(userId: string, event: ContactPresenceEvent): void;
  dm(userId: string, event: DmEvent): void;
  read(userId: string, event: { contactId: string; upTo: string }): void;
  typing(userId: string, event: { contactId: string; isTyping: boolean }): void;
}

/** The one-to-one chat a user is in, or last had. */
export interface ChatSeen {
  partnerId: string;
  roomId: string;
  /** Epoch ms the chat ended; null while it goes on. */
  endedAt: number | null;
}

/** What the contacts rules ask of matchmaking. */
export interface Encounters {
  /** The user's current chat, else its most recent one that ended, else null. */
  lastChat(userId: string): Promise<ChatSeen | null>;
  /** True when either user blocks the other now. */
  blocked(a: string, b: string): Promise<boolean>;
  /** `userId` blocks `targetId`, as the `block` event does a partner (matching checks both ways). */
  block(userId: string, targetId: string): Promise<void>;
}

/** The settings the contacts rules follow (a slice of Config). */
export interface ContactPolicy {
  readonly contactOfferMs: number;
  readonly contactsMax: number;
  readonly dmRetentionDays: number;
  readonly resumeGraceMs: number;
  readonly maxMessageLength: number;
}
