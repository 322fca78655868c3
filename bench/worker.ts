/**
 * A load-generator child process (forked by the bench): holds many client
 * connections so that one process's file descriptors and CPU are not the
 * limit. Driven over IPC:
 *   { type: 'connect', url, count, concurrency, interestPrefix?, offset?, localAddress?, retries? }
 *     → { type: 'connected', count, failed, ms, retried, reasons }
 *   (a socket that fails to connect is tried again up to `retries` times, once
 *   the first pass is through; `reasons` counts every failure by its message)
 *   { type: 'close' } → closes every socket, then exits.
 */
import { closeAll, connect, pool, reasonOf, request, type Client } from './lib/clients';

interface ConnectCommand {
  type: 'connect';
  url: string;
  count: number;
  concurrency: number;
  /** When set, each socket searches with the single interest `<prefix><offset + i>`. */
  interestPrefix?: string;
  offset?: number;
  localAddress?: string;
  /** Connects a failed socket again, up to this many times each, after the first pass (default 0). */
  retries?: number;
}

type Command = ConnectCommand | { type: 'close' };

const clients: Client[] = [];

function send(message: object): void {
  process.send?.(message);
}

async function onConnect(cmd: ConnectCommand): Promise<void> {
  const started = Date.now();
  const reasons: Record<string, number> = {};
  const one = async (i: number): Promise<boolean> => {
    try {
      const c = await connect(cmd.url, { localAddress: cmd.localAddress, timeoutMs: 60_000 });
      if (cmd.interestPrefix !== undefined) {
        const reply = await request(c, 'find-match', { interests: [`${cmd.interestPrefix}${(cmd.offset ?? 0) + i}`] }, 60_000);
        if (!reply.ok) {
          c.close();
          throw new Error(`find-match refused: ${JSON.stringify(reply.error)}`);
        }
      }
      clients.push(c);
      return true;
    } catch (err) {
      const reason = reasonOf(err);
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      return false;
    }
  };
  let pending = Array.from({ length: cmd.count }, (_, i) => i);
  let retried = 0;
  for (let round = 0; round <= (cmd.retries ?? 0) && pending.length > 0; round++) {
    if (round > 0) retried += pending.length;
    const ok = await pool(pending.length, cmd.concurrency, (k) => one(pending[k]!), (done) => {
      if (round === 0 && done % 500 === 0) send({ type: 'progress', done });
    });
    pending = pending.filter((_, k) => !ok[k]);
  }
  const failed = pending.length;
  send({ type: 'connected', count: cmd.count - failed, failed, ms: Date.now() - started, retried, reasons });
}

process.on('message', (cmd: Command) => {
  if (cmd.type === 'connect') {
    onConnect(cmd).catch((err: unknown) => send({ type: 'error', message: String(err) }));
  } else if (cmd.type === 'close') {
    closeAll(clients);
    send({ type: 'closed' });
    setTimeout(() => process.exit(0), 100);
  }
});
process.on('disconnect', () => process.exit(0));
