/**
 * The load generator's send loop, written once: `target` requests spread
 * evenly over time at `rate` per second, and the refusals among their acks
 * counted by error code.
 */
import { sleep } from './procs';
import type { BenchContext } from './context';

/** Acked requests whose reply could not be used, by error code ('timeout' when none came). */
export class Rejections {
  count = 0;
  readonly by: Record<string, number> = {};

  /** Settles once the request did: `used` takes an ok reply and says whether it was usable; anything else counts here. */
  track<R extends { ok: boolean }>(request: Promise<R>, used: (reply: R) => boolean): Promise<void> {
    return request.then(
      (reply) => {
        if (!reply.ok || !used(reply)) this.add(reply);
      },
      () => this.add(undefined),
    );
  }

  private add(reply: unknown): void {
    this.count++;
    const code = (reply as { error?: { code?: string } } | undefined)?.error?.code ?? 'timeout';
    this.by[code] = (this.by[code] ?? 0) + 1;
  }
}

/**
 * Calls `send(n)` for n = 0 … target−1, evenly in time at `rate` per second,
 * reporting progress; returns once every request is sent (`sentAt` is that
 * moment), with `settled` resolving once every one of them settled.
 */
export async function paced(
  ctx: BenchContext,
  rate: number,
  target: number,
  send: (n: number) => Promise<void>,
): Promise<{ start: number; sentAt: number; settled: Promise<void> }> {
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < target) {
    const due = Math.min(target, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (sent < due) pending.push(send(sent++));
    ctx.progress.update(`${sent}/${target} sent`);
    await sleep(5);
  }
  return { start, sentAt: performance.now(), settled: Promise.all(pending).then(() => undefined) };
}
