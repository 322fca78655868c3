/** Moved to testkit/postgres-server.ts; this path keeps existing imports working. */
export * from '../../../testkit/postgres-server';
