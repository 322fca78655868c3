/**
 * The one way tests and benchmarks wait for something that happens on its
 * own time (another node, a process, a timer): try, pause, try again, with a
 * generous bound instead of a fixed sleep.
 */

export interface EventuallyOptions {
  /** Give up after this long (default 15 000 ms: a bound for a busy machine, not a speed). */
  timeoutMs?: number;
  /** Pause between tries (default 25 ms). */
  intervalMs?: number;
  /** What is awaited: the error is "<what> within <timeoutMs> ms" when the check last returned false. */
  what?: string;
  /** Asked after each failed try; an error returned here is thrown at once (a process that exited meanwhile). */
  abort?: () => Error | undefined;
}

/**
 * Retries `check` until it passes and resolves with what it returned. A check
 * passes when it neither throws nor returns `false`, so an assertion
 * (`expect(...)`) and a predicate (`() => done`) both work. Past the deadline
 * it rejects with the check's last error, or, when the check returned false,
 * with `what`. A number as `options` is the timeout.
 */
export async function eventually<T>(check: () => T | Promise<T>, options: number | EventuallyOptions = {}): Promise<Exclude<T, false>> {
  const { timeoutMs = 15_000, intervalMs = 25, what, abort } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const result = await check();
      if (result !== false) return result as Exclude<T, false>;
      failure = new Error(`${what ?? 'condition not met'} within ${timeoutMs} ms`);
    } catch (err) {
      failure = err;
    }
    const aborted = abort?.();
    if (aborted) throw aborted;
    if (Date.now() > deadline) throw failure;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
