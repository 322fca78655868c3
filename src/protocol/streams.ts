/**
 * The stream contract shared by the three kinds of conversation: a
 * one-to-one chat, a topic room and a direct-message conversation.
 *
 * Every message delivered in a stream carries a gapless `seq` (1, 2, 3, …
 * within the stream, assigned by the server in the same atomic step that
 * stores the message) and the stream's `epoch` (an opaque string that changes
 * when the stream's history was lost, or when the stream is a new one under
 * the same name: a client holding another epoch resets instead of waiting for
 * a hole to fill). A client keeps, per stream, the epoch and the last `seq` it
 * holds; on every connect and on every hole it asks for what came after
 * (`resumed` for the chat, `room-join { sinceSeq }`, and `sync` for any
 * stream), and drops any `seq` it already holds.
 *
 * Sends (`send-message`, `room-message`, `dm-send`) take an optional
 * `clientId`: a retry carrying a `clientId` already stored in that stream, by
 * the same sender, within the stream's kept window, is answered with the
 * original acknowledgement and stores nothing.
 */

/** Which stream: the current one-to-one chat, a topic room, or the conversation with a contact. */
export type StreamRef =
  | { kind: 'chat' }
  | { kind: 'room'; code: string }
  | { kind: 'dm'; contactId: string };

/** Where a delivered message sits in its stream. */
export interface StreamPosition {
  /** Gapless within the stream: 1, 2, 3, … */
  seq: number;
  /** Changes when the stream's history was lost or the stream is a new one; see StreamRef. */
  epoch: string;
}

/** A client-chosen id of a send, 1–64 characters of `A-Z a-z 0-9 _ -`: a retry with it stores nothing twice. */
export type ClientId = string;

export interface SyncPayload {
  stream: StreamRef;
  /** The last seq the client holds (0: none); the answer starts after it. */
  afterSeq: number;
  /**
   * The epoch the client holds. When the stream's epoch differs, the answer
   * starts at the oldest message kept, whatever `afterSeq` says.
   */
  epoch?: string;
  /** 1–500, default 100. */
  limit?: number;
}

/**
 * The answer to `sync`, oldest first. `messages` take the shape of the
 * stream's own history: `MissedMessage` for the chat, `RoomMessage` for a
 * room, `DmHistoryMessage` for a conversation. When the kept window starts
 * after `afterSeq + 1` (the chat and room logs are capped), the first message's
 * seq says so: what lies before it is gone.
 */
export interface SyncResult<M = unknown> {
  epoch: string;
  /** The newest seq of the stream now (0 when it has none). */
  lastSeq: number;
  messages: M[];
  /** True when more messages follow the last one returned: ask again after it. */
  hasMore: boolean;
}
