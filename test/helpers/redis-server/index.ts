/** Moved to testkit/redis-server.ts; this path keeps existing imports working. */
export * from '../../../testkit/redis-server';
