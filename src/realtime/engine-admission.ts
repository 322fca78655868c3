/**
 * Transport connections per address, on this node. The cluster-wide cap of
 * admission.ts counts connections that completed the Socket.IO handshake; a
 * client that opens engine.io transports and never sends the Socket.IO
 * connect packet is not among them. This counts every open engine.io
 * connection by address (the same address the cap uses) and refuses one
 * beyond MAX_CONNECTIONS_PER_IP: at the handshake request when it can, else
 * by closing it as soon as it opens (requests that raced each other).
 */
import type { IncomingMessage } from 'node:http';

/** What this needs of an engine.io connection. */
interface Transport {
  request: IncomingMessage;
  close(): void;
  once(event: 'close', listener: () => void): unknown;
}

export class EngineConnections {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly cap: number,
    private readonly addressOf: (req: IncomingMessage) => string,
  ) {}

  /** For `allowRequest`: false while the address already holds its cap on this node. */
  allows(req: IncomingMessage): boolean {
    return (this.open.get(this.addressOf(req)) ?? 0) < this.cap;
  }

  /** Counts each engine.io connection until it closes; one over the cap is closed at once. */
  attach(engine: { on(event: 'connection', listener: (transport: Transport) => void): unknown }): void {
    engine.on('connection', (transport) => {
      const address = this.addressOf(transport.request);
      const count = (this.open.get(address) ?? 0) + 1;
      if (count > this.cap) {
        transport.close();
        return;
      }
      this.open.set(address, count);
      transport.once('close', () => {
        const left = (this.open.get(address) ?? 1) - 1;
        if (left > 0) this.open.set(address, left);
        else this.open.delete(address);
      });
    });
  }
}
