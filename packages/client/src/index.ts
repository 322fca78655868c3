/** @parley/client: a parley client for browsers and Node (see README.md). */
export { connect, ParleyClient, type ClientOptions, type ParleySocket, type ServerConfig } from './client';
export { ParleyError, type LocalErrorCode } from './errors';
export { METHOD_OF, type ReportWithFrame, type SendOptions } from './requests';
export { CallSession, type CallEvents, type CallOptions, type CallPhase, type CallSignalling, type MediaStreamLike, type PeerConnectionLike, type TrackLike } from './call';
export { callQuality, statsSample, QUALITY_LIMITS, type CallQuality, type StatsEntry, type StatsSample } from './call-quality';
export { newClientId } from './send-queue';
export { solveWithAltcha, type PowChallenge, type PowSolver } from './proof-of-work';
export { defaultTokenStore, memoryTokenStore, webTokenStore, WEB_TOKEN_KEY, type TokenStore } from './token-store';
export type * from './types';
export type * from './wire';
