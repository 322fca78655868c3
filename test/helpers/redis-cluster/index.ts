/** Moved to testkit/redis-cluster.ts; this path keeps existing imports working. */
export * from '../../../testkit/redis-cluster';
