/**
 * The chat store: the message path of one-to-one chats, each relay logged and
 * its sender's message budget spent in one atomic step, the log kept while
 * the chat lives (and as report evidence after). The matchmaking state says
 * which chat a user is in; this contract only reads it.
 */

/** How many messages a user may send per window, in one chat. */
export interface MessageBudget {
  points: number;
  windowMs: number;
}

/** A user's live connection as the store last knew it: its node and socket id. */
export interface SocketRef {
  node: string;
  sid: string;
}

/** The other user of a chat, and its live connection when the store knows it. */
export interface ChatPeer {
  partnerId: string;
  roomId: string;
  partnerSocket?: SocketRef;
}

export type RelayResult =
  | {
      kind: 'relayed';
      partnerId: string;
      roomId: string;
      /** The message's place in the chat's stream. */
      seq: number;
      epoch: string;
      /** The partner's live connection as the store last knew it, when it does: a node may hand the message to it directly. */
      partnerSocket?: SocketRef;
    }
  /** The sender's `clientId` was stored in this chat already: nothing logged, this is the message it named. */
  | { kind: 'duplicate'; message: LoggedMessage }
  | { kind: 'not-in-chat' }
  /** The chat is younger than the `minChatAgeMs` asked for; nothing logged. */
  | { kind: 'too-early'; retryAfterMs: number }
  | { kind: 'rate-limited'; retryAfterMs: number };

/** A message as the chat log keeps it. */
export interface LoggedMessage {
  /** Gapless within the chat, from 1; assigned by the store as it logs the message. */
  seq: number;
  id: string;
  /** Sender's user id (never sent to the other side). */
  from: string;
  text: string;
  sentAt: number;
  replyTo?: string;
}

/** A message to log: the store gives it its seq. */
export type NewMessage = Omit<LoggedMessage, 'seq'>;

/** A chat's log with its epoch ('' when the chat has no record). */
export interface ChatLog {
  epoch: string;
  messages: LoggedMessage[];
}

export interface ChatStore {
  /**
   * Logs a message in the sender's chat and says where to deliver it, after
   * spending a point of the sender's message budget in that chat; one step.
   * Outside a chat nothing is spent ('not-in-chat'). With
   * `minChatAgeMs` > 0, a chat that started less than that long before `now`
   * takes nothing ('too-early'): links wait out a chat's first LINK_DELAY_MS.
   * With a `clientId` the sender already used in this chat, nothing is
   * spent or logged ('duplicate', with the message it named). With
   * `chatId`, a sender in another chat is treated as outside one
   * ('not-in-chat'): the message was meant for a chat that is over.
   */
  relay(
    userId: string,
    message: NewMessage,
    logCap: number,
    budget: MessageBudget,
    now: number,
    minChatAgeMs?: number,
    clientId?: string,
    chatId?: string,
  ): Promise<RelayResult>;
  /**
   * The sender's chat and partner, for what is relayed without a log
   * (typing); null outside a chat. `partnerSocket` as in a relay's answer.
   */
  chatPeer(userId: string): Promise<ChatPeer | null>;
  /**
   * The log of a chat, oldest first: a live chat's, or an ended one's while
   * it is kept as report evidence (the store's evidence time); [] otherwise.
   */
  chatLog(roomId: string): Promise<ChatLog>;
}
