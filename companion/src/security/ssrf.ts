import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { FsError } from 'fs-picker/protocol';

/*
 * Fetching a URL that a web page named, without letting the page reach what only the companion can
 * reach (SSRF): http and https only; every host is resolved first and refused when any of its addresses
 * is loopback, private (RFC 1918, CGNAT, ULA), link-local (cloud metadata 169.254.169.254 and
 * fd00:ec2::254 among them), multicast, unspecified or otherwise reserved; redirects are followed by hand
 * (at most 5), each hop checked the same way; and the connection goes to the address that was checked
 * (a custom `lookup`), so a DNS answer that changes between check and connect (rebinding) cannot win.
 */

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
/** Whether the companion may connect to `address` (which `hostname` resolved to). */
export type AddressCheck = (address: string, hostname: string) => boolean;

export interface SafeFetchOptions {
  /** Skip the address checks (the app's `allowPrivateUrls`). Scheme, redirect and time limits still apply. */
  allowPrivate?: boolean;
  /** Redirects followed at most; default 5. */
  maxRedirects?: number;
  /** Time limit for everything, the body included; default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** DNS resolution; the system resolver by default (tests inject one). */
  resolve?: Resolver;
  /** The address check; {@link isPublicAddress} by default (tests inject one). */
  isAllowed?: AddressCheck;
}

export interface SafeResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The body; it errors when the time limit passes mid-body. */
  body: IncomingMessage;
  /** Aborts when the time limit passes: tells a failed body read apart from a slow source. */
  signal: AbortSignal;
  timeoutMs: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export const systemResolver: Resolver = async (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * GETs `url` under the rules above. Answers with the first non-redirect response, whatever its status
 * (the caller decides); refusals are FS_ERR_URL_REFUSED (403), unreachable sources FS_ERR_UPSTREAM.
 */
export async function fetchPublicUrl(url: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const { allowPrivate = false, maxRedirects = 5, timeoutMs = 60_000, resolve = systemResolver, isAllowed = (address) => isPublicAddress(address) } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = parseHttpUrl(current, hop > 0);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveHost(resolve, host);
    if (!allowPrivate && addresses.some(({ address }) => !isAllowed(address, host))) {
      throw new FsError(
        'FS_ERR_URL_REFUSED',
        `The companion does not fetch from private, loopback, link-local or reserved addresses${hop > 0 ? ` (${url} redirected to ${target.origin})` : ` (${target.origin})`}.`,
        { field: 'url' },
      );
    }
    const chosen = addresses[0] as ResolvedAddress;
    let response: IncomingMessage;
    try {
      response = await send(target, host, chosen, signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const why = timeout.aborted ? `did not answer within ${timeoutMs / 1000} s` : 'could not be reached';
      throw new FsError('FS_ERR_UPSTREAM', `The source at ${target.origin} ${why}.`, { cause: error });
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location) {
      response.destroy();
      if (hop >= maxRedirects) throw new FsError('FS_ERR_UPSTREAM', `${url} redirects more than ${maxRedirects} times.`);
      current = new URL(location, target).href;
      continue;
    }
    return { url: target.href, status, headers: response.headers, body: response, signal: timeout, timeoutMs };
  }
}

function parseHttpUrl(value: string, redirected: boolean): URL {
  let target: URL;
  try {
    target = new URL(value);
  } catch {
    throw new FsError('FS_ERR_INVALID_REQUEST', `Not an absolute URL: ${value.slice(0, 200)}`, { field: 'url' });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FsError('FS_ERR_URL_REFUSED', `Only http and https URLs can be stored${redirected ? ` (a redirect went to ${target.protocol})` : ''}.`, { field: 'url' });
  }
  return target;
}

async function resolveHost(resolve: Resolver, host: string): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    throw new FsError('FS_ERR_UPSTREAM', `The host ${host} could not be resolved.`, { cause: error, field: 'url' });
  }
  if (addresses.length === 0) throw new FsError('FS_ERR_UPSTREAM', `The host ${host} has no address.`, { field: 'url' });
  return addresses;
}

/** One GET to the checked address; TLS still verifies the certificate for the host name. */
function send(target: URL, host: string, address: ResolvedAddress, signal: AbortSignal): Promise<IncomingMessage> {
  const lookup = ((_hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (lookupOptions.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  }) as unknown as LookupFunction;
  const client = target.protocol === 'https:' ? https : http;
  const auth = target.username || target.password ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` : undefined;
  return new Promise((resolve, reject) => {
    const request = client.request({
      protocol: target.protocol,
      hostname: host,
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: { 'User-Agent': 'fs-picker-companion', Accept: '*/*', 'Accept-Encoding': 'identity' },
      auth,
      lookup,
      servername: isIP(host) ? undefined : host,
      agent: false,
      signal,
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

// ---------------------------------------------------------------------------------------------------
// Address classification

/** IPv4 ranges that are not the public Internet (RFC 6890 and friends). */
const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT (Alibaba's metadata 100.100.100.200 among it)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4ToNumber(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function isPublicV4(value: number): boolean {
  return !V4_BLOCKED.some(([base, prefix]) => {
    const size = 2 ** (32 - prefix);
    const start = v4ToNumber(base) as number;
    return value >= start && value < start + size;
  });
}

/** 128-bit value of an IPv6 address (zone ids dropped), or undefined when it is not one. */
function v6ToBigInt(address: string): bigint | undefined {
  let text = address.split('%')[0] ?? '';
  // A trailing dotted IPv4 (::ffff:127.0.0.1) becomes its two hex groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = v4ToNumber(dotted[2] as string);
    if (v4 === undefined) return undefined;
    text = `${dotted[1] as string}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groupsOf(halves[0]);
  const rest = groupsOf(halves[1]);
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array.from({ length: missing }, () => '0'), ...rest];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const inV6 = (value: bigint, base: bigint, prefix: number) => value >> BigInt(128 - prefix) === base >> BigInt(128 - prefix);
const V6 = (text: string) => v6ToBigInt(text) as bigint;

function isPublicV6(value: bigint): boolean {
  const low32 = Number(value & 0xffffffffn);
  if (inV6(value, V6('::ffff:0:0'), 96)) return isPublicV4(low32); // IPv4-mapped
  if (inV6(value, V6('64:ff9b::'), 96)) return isPublicV4(low32); // NAT64
  if (inV6(value, V6('2002::'), 16)) return isPublicV4(Number((value >> 80n) & 0xffffffffn)); // 6to4
  if (!inV6(value, V6('2000::'), 3)) return false; // only global unicast: no ::, ::1, fc00::/7 (ULA, fd00:ec2::254), fe80::/10, ff00::/8, …
  if (inV6(value, V6('2001::'), 32)) return false; // Teredo
  if (inV6(value, V6('2001:db8::'), 32)) return false; // documentation
  if (inV6(value, V6('2001::'), 23)) return false; // IETF protocol assignments
  return true;
}

/**
 * Whether an IP address is on the public Internet: not loopback, private (RFC 1918, CGNAT 100.64/10,
 * ULA fc00::/7), link-local (169.254/16, fe80::/10, with the cloud metadata addresses), multicast,
 * unspecified, documentation or reserved. IPv4 inside IPv6 (mapped, NAT64, 6to4) is judged as IPv4.
 * Anything unparseable is not public.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) {
    const value = v4ToNumber(address);
    return value !== undefined && isPublicV4(value);
  }
  if (family === 6) {
    const value = v6ToBigInt(address);
    return value !== undefined && isPublicV6(value);
  }
  return false;
}
