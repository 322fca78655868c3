/** The part of cluster-key-slot (the slot function ioredis uses) parley uses; the package ships no types. */
declare module 'cluster-key-slot' {
  /** The Redis Cluster slot (0–16,383) of a key, its hash tag honoured. */
  export default function calculateSlot(key: string): number;
}
