/**
 * Addresses are kept only as keyed hashes: HMAC-SHA256 under a pepper derived
 * from SESSION_SECRET, so the same address hashes alike on every node and a
 * leaked table reveals no address. An IPv6 address counts by its /64 (one
 * subscriber usually holds a whole /64); an IPv4-mapped IPv6 address as IPv4.
 */
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** The network an address is judged by: the IPv4 address, or the IPv6 /64 prefix. */
export function networkOf(ip: string): string {
  const address = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address) || !isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export type IpHasher = (ip: string) => string;

export function createIpHasher(sessionSecret: string): IpHasher {
  const pepper = createHmac('sha256', sessionSecret).update('parley:ip-pepper').digest();
  return (ip) => createHmac('sha256', pepper).update(networkOf(ip)).digest('base64url').slice(0, 32);
}
