/** Public API of the parley package: the node factory and the wire protocol (src/protocol). */
export { createServer, type ParleyServer, type ServerDeps } from './server';
export { loadConfig, ConfigError, type Config } from './config';
export * from './protocol';
