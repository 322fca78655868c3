/** Moved to testkit/nodes.ts; this path keeps existing imports working. */
export * from '../../../testkit/nodes';
