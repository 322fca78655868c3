/** Socket.IO room names. Every socket joins its user's room at connect, so
 * any node reaches a user through the adapter without knowing where it is. */
export const userRoom = (userId: string): string => `user:${userId}`;

/** The Socket.IO room of a topic room: every connected member's socket is in it. */
export const roomChannel = (code: string): string => `room:${code}`;
