/**
 * Free ports for the servers tests and benchmarks start themselves. They are
 * drawn below Linux's ephemeral range (32768 and up): a port from that range
 * can be taken, between the check and the server's start, as the source port
 * of any client connection the parallel test files open.
 */
import net from 'node:net';

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Ports already handed out here: free until their server starts, so never handed out twice. */
const handedOut = new Set<number>();

/** Finds `count` consecutive free ports on 127.0.0.1, avoiding `exclude`. */
export async function freePortRange(count: number, exclude: number[] = []): Promise<number> {
  const low = 20_000;
  const high = 32_000;
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = low + Math.floor(Math.random() * (high - low - count));
    const ports = Array.from({ length: count }, (_, i) => first + i);
    if (ports.some((p) => exclude.includes(p) || handedOut.has(p))) continue;
    const free = await Promise.all(ports.map(canListen));
    if (ports.some((p) => handedOut.has(p))) continue;
    if (free.every(Boolean)) {
      for (const p of ports) handedOut.add(p);
      return first;
    }
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** One free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return freePortRange(1);
}
