/** A test's hold on a node from inside its process: the next call of a store step, held until released. */

/**
 * Holds the next call of `target[method]` (a store step, say) until released:
 * `'before'` the step runs, or `'after'` it ran and before its caller goes on.
 * `reached` resolves when the call is held; later calls run as usual.
 */
export function holdNextCall<T extends object, K extends keyof T>(
  target: T,
  method: K,
  at: 'before' | 'after',
): { reached: Promise<void>; release: () => void } {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  let reachedNow!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reachedNow = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  (target as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    (target as Record<K, unknown>)[method] = original;
    const result = at === 'after' ? await original(...args) : undefined;
    reachedNow();
    await released;
    return at === 'after' ? result : original(...args);
  };
  return { reached, release };
}
