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

/** Where a counted connection's address is noted on it, for the one listener every connection shares. */
const ADDRESS = Symbol('address');

/** What this needs of an engine.io connection. */
interface Transport {
  request: IncomingMessage;
  close(): void;
  on(event: 'close', listener: (this: Transport) => void): unknown;
  [ADDRESS]?: string;
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
    const open = this.open;
    // An engine.io connection emits 'close' once.
    function closed(this: Transport): void {
      const address = this[ADDRESS]!;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    }
    engine.on('connection', (transport) => {
      const address = this.addressOf(transport.request);
      const count = (this.open.get(address) ?? 0) + 1;
      if (count > this.cap) {
        transport.close();
        return;
      }
      this.open.set(address, count);
      transport[ADDRESS] = address;
      transport.on('close', closed);
    });
  }
}
