/** The wire contract, one file per feature: what the web client and any client SDK build on. */
export * from './errors';
export type * from './events';
export type * from './chat';
export type * from './call';
export type * from './rooms';
export type * from './room-notices';
export type * from './contacts';
export type * from './moderation';
export type * from './streams';
export type * from './admin-api';
export type * from './http-api';
