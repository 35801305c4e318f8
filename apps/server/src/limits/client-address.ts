// Which client a request comes from, for the per-address limits: the socket's peer, or, only when
// ESMON_TRUST_PROXY says how many proxies stand in front, the address those proxies recorded in
// X-Forwarded-For (anyone can send that header; only a proxy we know of makes it true).
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The client's IP address (null when the socket no longer has one). */
export type ClientAddress = (req: IncomingMessage) => string | null;

/** The address behind `hops` trusted proxies: the hops-th X-Forwarded-For entry from the right. */
export function forwardedFor(header: string | string[] | undefined, peer: string, hops: number): string {
  if (hops <= 0 || header === undefined) return peer;
  const entries = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((e) => bareAddress(e.trim()))
    .filter((e) => e !== '');
  if (entries.length === 0) return peer;
  // fewer entries than proxies: the request passed fewer of them; the leftmost is the furthest known
  const chosen = entries[Math.max(0, entries.length - hops)]!;
  return isIP(chosen) ? chosen : peer;
}

/** "1.2.3.4:5678" and "[::1]:80" (some proxies add the port) → the address alone. */
function bareAddress(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4port ? v4port[1]! : entry;
}

/**
 * The key a client address is limited under: IPv4 as it is (an IPv4-mapped IPv6 address too);
 * IPv6 by its /64 network, since anyone with one IPv6 address has 2^64 of them.
 */
export function addressKey(address: string | null): string {
  const plain = plainAddress(address ?? '');
  if (isIP(plain) !== 6) return plain || 'unknown';
  return `${expandIPv6(plain).slice(0, 4).join(':')}::/64`;
}

/** Without an interface zone, and an IPv4 client of a dual-stack socket as plain IPv4. */
export function plainAddress(address: string): string {
  const plain = address.replace(/%.*$/, '');
  return /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(plain)?.[1] ?? plain;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  let left = part(head);
  let right = tail === undefined ? [] : part(tail);
  // an embedded IPv4 tail (::ffff:1.2.3.4 and kin) is two groups
  const toGroups = (list: string[]) =>
    list.flatMap((g) => {
      if (!g.includes('.')) return [g];
      const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  left = toGroups(left);
  right = toGroups(right);
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

export function createClientAddress(trustedProxies: number): ClientAddress {
  return (req) => {
    const peer = req.socket?.remoteAddress;
    if (!peer) return null;
    return plainAddress(forwardedFor(req.headers['x-forwarded-for'], peer, trustedProxies));
  };
}
