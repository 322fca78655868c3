/** @parley/client: a parley client for browsers and Node (see README.md). */
export { connect, ParleyClient, type ClientOptions, type ParleySocket, type ServerConfig } from './client';
export { ParleyError, type LocalErrorCode } from './errors';
export { METHOD_OF, type SendOptions } from './requests';
export { newClientId } from './send-queue';
export { solveWithAltcha, type PowChallenge, type PowSolver } from './proof-of-work';
export { defaultTokenStore, memoryTokenStore, webTokenStore, WEB_TOKEN_KEY, type TokenStore } from './token-store';
export type * from './types';
export type * from './wire';
