/** Channel names: a channel is a Socket.IO room. Every socket joins its user's
 * channel at connect, so any node reaches a user through the adapter without
 * knowing where it is. */
export const userChannel = (userId: string): string => `user:${userId}`;

/** The channel of a topic room: every connected member's socket is in it. */
export const roomChannel = (code: string): string => `room:${code}`;
