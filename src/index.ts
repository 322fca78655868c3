/** Public API of the parley package: the node factory and the protocol types. */
export { createServer, type ParleyServer, type ServerDeps } from './server';
export { loadConfig, ConfigError, type Config } from './config';
export { ERROR_CODES, type ErrorCode } from './errors';
export type * from './realtime/protocol';
