import type { Context } from 'hono';
import { BlockList, isIP } from 'node:net';

/** A request served in process (`app.request()` in tests) has no socket: all such requests share this address. */
export const IN_PROCESS = 'in-process';

/**
 * The operator's reverse proxies (`trustedProxies`: addresses and CIDR ranges), whose `X-Forwarded-For`
 * is believed. With none, the header is ignored: any client can write it.
 */
export class TrustedProxies {
  readonly #list = new BlockList();
  readonly #empty: boolean;

  constructor(entries: readonly string[] = []) {
    for (const entry of entries) {
      const [address, prefix] = parseProxyEntry(entry) ?? [];
      if (address === undefined) throw new Error(`trustedProxies: ${JSON.stringify(entry)} is not an IP address or CIDR range`);
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.#list.addAddress(address, type);
      else this.#list.addSubnet(address, prefix, type);
    }
    this.#empty = entries.length === 0;
  }

  has(address: string): boolean {
    if (this.#empty) return false;
    const plain = unmapped(address);
    const version = isIP(plain);
    return version !== 0 && this.#list.check(plain, version === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client's address: the socket's, unless it is a trusted proxy; then `X-Forwarded-For` is read from
   * the right (each proxy appends the address it was connected from), skipping trusted proxies, and the
   * first other hop is the client. What lies left of that hop was written by the client and is never read.
   */
  clientOf(socketAddress: string | undefined, forwardedFor: string | undefined): string {
    if (socketAddress === undefined) return IN_PROCESS;
    let client = unmapped(socketAddress);
    if (!this.has(client) || !forwardedFor) return client;
    const hops = forwardedFor.split(',').map((hop) => unmapped(hop.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      // Not an address: not what a proxy of ours wrote; the last trusted hop stands in for the client.
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!this.has(hop)) return hop;
    }
    return client;
  }
}

/** `10.0.0.0/8`, `192.0.2.7`, `2001:db8::/32`; undefined when it is neither an address nor a range. */
export function parseProxyEntry(entry: string): [string, number | undefined] | undefined {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return undefined;
  if (prefixText === undefined) return [address, undefined];
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > (version === 6 ? 128 : 32)) return undefined;
  return [address, Number(prefixText)];
}

const proxiesOf = new WeakMap<readonly string[], TrustedProxies>();

/**
 * The address a request came from, as rate limits key it: see `TrustedProxies.clientOf`. `trustedProxies`
 * is the configuration's list (parsed once per list).
 */
export function clientAddress(c: Context, trustedProxies: readonly string[] = []): string {
  let proxies = proxiesOf.get(trustedProxies);
  if (!proxies) proxiesOf.set(trustedProxies, (proxies = new TrustedProxies(trustedProxies)));
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return proxies.clientOf(incoming?.socket?.remoteAddress, c.req.header('X-Forwarded-For'));
}

/**
 * The key a rate limit counts an address under: an IPv6 client is its /64 (one customer's network gets a
 * whole /64, and could otherwise change address for every try); IPv4 as it is.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandV6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

/** `::ffff:192.0.2.1` is 192.0.2.1 (a dual-stack socket's view of an IPv4 client). */
function unmapped(address: string): string {
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match ? match[1]! : address;
}

/** The eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros (not for embedded IPv4 forms). */
function expandV6(address: string): string[] | undefined {
  const plain = address.split('%')[0]!;
  if (plain.includes('.')) return undefined;
  const [head = '', tail] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => Number.parseInt(group, 16).toString(16));
}
