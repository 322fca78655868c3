/**
 * A client's address behind proxies, by Express's own `trust proxy` rules
 * (proxy-addr), so HTTP requests and Socket.IO handshakes agree.
 *
 * X-Forwarded-For is read from the right: the socket's peer is hop 0, the
 * header's last entry hop 1, and so on. While a hop is a trusted proxy, the
 * entry to its left is believed; the first hop that is not trusted is the
 * client. A client can write anything into the header, but it can only add
 * entries on the left, which are never reached past an untrusted hop.
 */
import proxyaddr from 'proxy-addr';

/**
 * Which hops are trusted proxies (the TRUST_PROXY setting):
 * - `false`: none; the address is the socket's peer and the header is ignored;
 * - a number N: the last N hops (N proxies in front, which every client passes);
 * - a list of addresses, CIDRs, `loopback`, `linklocal` or `uniquelocal`: the
 *   hops at those addresses.
 */
export type TrustProxy = false | number | readonly string[];

/** Whether the hop `hop` (0 = the socket's peer) at `address` is a trusted proxy. */
export type TrustFunction = (address: string, hop: number) => boolean;

const trustNone: TrustFunction = () => false;
const compiled = new WeakMap<readonly string[], TrustFunction>();

/** The trust function of a setting (Express's `trust proxy fn`); lists are compiled once. */
export function trustFunction(trust: TrustProxy): TrustFunction {
  if (trust === false) return trustNone;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  let fn = compiled.get(trust);
  if (!fn) {
    fn = proxyaddr.compile([...trust]);
    compiled.set(trust, fn);
  }
  return fn;
}

/** The client's address of a connection whose peer is `remoteAddress`. */
export function clientAddress(remoteAddress: string, forwardedFor: string | undefined, trust: TrustProxy): string {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return proxyaddr({ headers, socket: { remoteAddress } }, trustFunction(trust));
}

/**
 * Parses TRUST_PROXY: `false`/`0`/`no`, a hop count, or a comma list of
 * addresses and ranges. `true`/`yes` once trusted the whole header; they now
 * mean one hop (one proxy in front) and come back with a warning.
 * Throws TypeError naming a bad entry.
 */
export function parseTrustProxy(raw: string | undefined): { trust: TrustProxy; warning?: string } {
  const value = (raw ?? 'false').trim().toLowerCase();
  if (['false', '0', 'no'].includes(value)) return { trust: false };
  if (['true', 'yes'].includes(value)) {
    return {
      trust: 1,
      warning:
        'TRUST_PROXY=true is read as 1 (one proxy in front, its X-Forwarded-For entry believed): set TRUST_PROXY to the number of proxies, or their addresses (docs/deployment.md)',
    };
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 32) throw new TypeError('at most 32 proxies');
    return { trust: hops };
  }
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Compiling checks every entry (it throws "invalid IP address: …").
  proxyaddr.compile(list);
  return { trust: Object.freeze(list) };
}
