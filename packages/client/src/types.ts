/** The SDK's public shapes: request payloads and results derived from the protocol, the messages it delivers, its events. */
import type { ParleyError } from './errors';
import type {
  ClientToServerEvents,
  DmEvent,
  MessageEvent,
  ResumedEvent,
  RoomJoinResult,
  RoomMessageEvent,
  ServerToClientEvents,
  StreamRef,
} from './wire';

/** Every event a client may send. */
export type RequestEvent = keyof ClientToServerEvents;

/** What `event` takes. */
export type PayloadOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];

type ReplyOf<E extends RequestEvent> = NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends (reply: infer R) => void ? R : never;

/** What `event`'s acknowledgement holds besides `ok: true` (a refusal rejects with ParleyError instead). */
export type ResultOf<E extends RequestEvent> = Omit<Extract<ReplyOf<E>, { ok: true }>, 'ok'>;

/** A message of the one-to-one chat, yours included (`mine`), delivered once and in seq order. */
export interface ChatMessage extends MessageEvent {
  mine: boolean;
}

/** A message of a joined room, yours included, delivered once and in seq order. */
export interface RoomStreamMessage extends RoomMessageEvent {
  mine: boolean;
}

/** A direct message, either direction, delivered once and in seq order per conversation. */
export interface DirectMessage extends DmEvent {
  mine: boolean;
}

/** Server events passed on as they come (the stream events are replaced by the SDK's ordered ones). */
type PassedEvents = Omit<ServerToClientEvents, 'message' | 'room-message' | 'dm' | 'resumed'>;

/** What a ParleyClient emits: every server push (typed from the protocol), the ordered streams and the connection's life. */
export interface ClientEvents extends PassedEvents {
  /** A chat message (both directions; own ones once acknowledged), once each, in seq order; recovered ones included. */
  message: (message: ChatMessage) => void;
  /** A message of a room joined with joinRoom (or rejoined by the server), once each, in seq order. */
  'room-message': (message: RoomStreamMessage) => void;
  /** A direct message (both directions), once each, in seq order per conversation. */
  dm: (message: DirectMessage) => void;
  /** This connection picked up the chat; the missed messages follow as `message` events. A video chat's carries fresh `call`. */
  resumed: (event: Omit<ResumedEvent, 'missed'>) => void;
  /** The stream's history was lost (its epoch changed): drop what you show of it; what the server still has follows. */
  'stream-reset': (event: { stream: StreamRef; epoch: string }) => void;
  /** A joined room could not be joined again after a reconnect (removed, kicked, full): it is no longer followed. */
  'room-rejoin-failed': (event: { code: string; error: ParleyError }) => void;
  /**
   * A joined room was joined again after a reconnect: `room` is the join's
   * answer (the room, you, its members as they are now); its messages were
   * delivered as `room-message` events already.
   */
  'room-rejoined': (event: { code: string; room: RoomJoinResult }) => void;
  /** The transport is up (the server's greeting follows: `session`, maybe `resumed`, `online-count`). */
  connect: () => void;
  /** The transport dropped; the client reconnects by itself unless it was stopped. */
  disconnect: (event: { reason: string }) => void;
  /** Another connection attempt starts (`attempt` counts from 1 since the last connection). */
  reconnecting: (event: { attempt: number }) => void;
  /** A connection attempt failed or was refused (`code` from the server, e.g. POW_REQUIRED, RATE_LIMITED). */
  connect_error: (error: ParleyError) => void;
  /** The client stopped for good: close(), SESSION_REPLACED (another connection took the identity), BANNED. */
  closed: (event: { error?: ParleyError }) => void;
}
