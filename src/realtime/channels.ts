/** Channel names: a channel is a Socket.IO room. Every socket joins its user's
 * channel at connect, so any node reaches a user through the adapter without
 * knowing where it is. */
export const userChannel = (userId: string): string => `user:${userId}`;

/** The channel of a topic room: every connected member's socket is in it. */
export const roomChannel = (code: string): string => `room:${code}`;

/**
 * The sockets whose greeting is not over yet (a resume reading the chat's log
 * after the connect): figure pushes skip them, so `online-count` reaches them
 * only after `resumed`, closing the greeting.
 */
export const GREETING_CHANNEL = 'greeting';
