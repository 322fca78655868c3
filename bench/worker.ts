/**
 * A load-generator child process (forked by the bench): holds many client
 * connections so that one process's file descriptors and CPU are not the
 * limit. Driven over IPC:
 *   { type: 'connect', url, count, concurrency, interestPrefix?, offset?, localAddress? }
 *     → { type: 'connected', count, failed, ms }
 *   { type: 'close' } → closes every socket, then exits.
 */
import { closeAll, connect, pool, request, type Client } from './lib/clients';

interface ConnectCommand {
  type: 'connect';
  url: string;
  count: number;
  concurrency: number;
  /** When set, each socket searches with the single interest `<prefix><offset + i>`. */
  interestPrefix?: string;
  offset?: number;
  localAddress?: string;
}

type Command = ConnectCommand | { type: 'close' };

const clients: Client[] = [];

function send(message: object): void {
  process.send?.(message);
}

async function onConnect(cmd: ConnectCommand): Promise<void> {
  const started = Date.now();
  let failed = 0;
  await pool(cmd.count, cmd.concurrency, async (i) => {
    try {
      const c = await connect(cmd.url, { localAddress: cmd.localAddress, timeoutMs: 60_000 });
      clients.push(c);
      if (cmd.interestPrefix !== undefined) {
        const reply = await request(c, 'find-match', { interests: [`${cmd.interestPrefix}${(cmd.offset ?? 0) + i}`] }, 60_000);
        if (!reply.ok) failed++;
      }
    } catch {
      failed++;
    }
  }, (done) => {
    if (done % 500 === 0) send({ type: 'progress', done });
  });
  send({ type: 'connected', count: cmd.count - failed, failed, ms: Date.now() - started });
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
