/** Drives forked load-generator processes (../worker.ts) holding many connections. */
import path from 'node:path';
import type { ProcessGroup, Tracked } from '../../testkit/processes';

const WORKER_JS = path.join(__dirname, '..', 'worker.js');
export const SOCKETS_PER_WORKER = 5000;

interface Reply {
  type: string;
  count?: number;
  failed?: number;
  ms?: number;
  retried?: number;
  reasons?: Record<string, number>;
  done?: number;
  message?: string;
}

/** What a worker's connect pass did: sockets held, sockets that failed every try, retries made, failures by reason. */
export interface ConnectResult {
  count: number;
  failed: number;
  ms: number;
  retried: number;
  reasons: Record<string, number>;
}

export class Worker {
  constructor(
    private readonly group: ProcessGroup,
    readonly proc: Tracked,
  ) {}

  static start(group: ProcessGroup, name: string): Worker {
    return new Worker(group, group.fork(name, WORKER_JS));
  }

  /** Connects `count` sockets (a failed one again up to `retries` times); resolves with how many succeeded, and why the others did not. */
  connect(
    cmd: { url: string; count: number; concurrency?: number; interestPrefix?: string; offset?: number; localAddress?: string; retries?: number },
    onProgress?: (done: number) => void,
  ): Promise<ConnectResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: Reply): void => {
        if (reply.type === 'progress') onProgress?.(reply.done ?? 0);
        else if (reply.type === 'connected') {
          this.proc.child.off('message', onMessage);
          resolve({ count: reply.count ?? 0, failed: reply.failed ?? 0, ms: reply.ms ?? 0, retried: reply.retried ?? 0, reasons: reply.reasons ?? {} });
        } else if (reply.type === 'error') {
          this.proc.child.off('message', onMessage);
          reject(new Error(`${this.proc.name}: ${reply.message}`));
        }
      };
      this.proc.child.on('message', onMessage);
      void this.proc.exited.then(() => reject(new Error(`${this.proc.name} exited`)));
      this.proc.child.send({ type: 'connect', concurrency: 100, ...cmd });
    });
  }

  async close(): Promise<void> {
    if (this.proc.child.connected) this.proc.child.send({ type: 'close' });
    const timer = setTimeout(() => void this.group.stop(this.proc), 3000);
    await this.proc.exited;
    clearTimeout(timer);
  }
}

/**
 * Spreads `count` new sockets over workers (starting more as needed), each
 * from its own loopback source address.
 */
export async function connectSpread(
  group: ProcessGroup,
  workers: Worker[],
  held: number[],
  cmd: { url: string; count: number; interestPrefix?: string; offset?: number },
  onProgress?: (done: number) => void,
): Promise<number> {
  let remaining = cmd.count;
  let offset = cmd.offset ?? 0;
  const jobs: Promise<{ count: number; failed: number }>[] = [];
  const doneBy: number[] = [];
  let w = 0;
  while (remaining > 0) {
    if (w >= workers.length) {
      workers.push(Worker.start(group, `load-${workers.length + 1}`));
      held.push(0);
    }
    const room = SOCKETS_PER_WORKER - held[w]!;
    const n = Math.min(room, remaining);
    if (n > 0) {
      const index = jobs.length;
      doneBy.push(0);
      held[w] = held[w]! + n;
      jobs.push(
        workers[w]!.connect(
          { url: cmd.url, count: n, interestPrefix: cmd.interestPrefix, offset, localAddress: `127.0.0.${2 + w}` },
          (done) => {
            doneBy[index] = done;
            onProgress?.(doneBy.reduce((a, b) => a + b, 0));
          },
        ),
      );
      offset += n;
      remaining -= n;
    }
    w++;
  }
  const results = await Promise.all(jobs);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  return cmd.count - failed;
}
