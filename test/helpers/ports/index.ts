/** Moved to testkit/ports.ts; this path keeps existing imports working. */
export * from '../../../testkit/ports';
