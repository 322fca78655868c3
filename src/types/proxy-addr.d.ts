/** The parts of proxy-addr (Express's `trust proxy`) parley uses; the package ships no types. */
declare module 'proxy-addr' {
  import type { IncomingHttpHeaders } from 'node:http';

  /** Whether the hop `hop` (0 = the socket's peer) at `address` is a trusted proxy. */
  type TrustFunction = (address: string, hop: number) => boolean;

  interface RequestLike {
    headers: IncomingHttpHeaders;
    socket: { remoteAddress?: string | undefined };
  }

  /** The client's address: X-Forwarded-For read from the right while each hop is trusted. */
  function proxyaddr(req: RequestLike, trust: TrustFunction): string;

  namespace proxyaddr {
    /** A trust function for addresses, CIDRs and `loopback`, `linklocal`, `uniquelocal`; throws TypeError on a bad one. */
    function compile(addresses: string | string[]): TrustFunction;
  }

  export = proxyaddr;
}
